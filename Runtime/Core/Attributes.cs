namespace SpotOptimizer.Runtime;

/// <summary>
/// A read-only grain method: it may run concurrently with other read-only calls to the same activation,
/// never alongside a call that can change state.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ReadOnlyAttribute : Attribute;

/// <summary>
/// The method runs as soon as it arrives, even while another call is in progress
/// (use for callbacks that would otherwise deadlock a call cycle).
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class AlwaysInterleaveAttribute : Attribute;

/// <summary>Stable grain type name used in identities and storage; defaults to the class name without "Grain", lower-cased.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class GrainTypeAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}

/// <summary>Marks a grain constructor parameter of type <see cref="IPersistentState{TState}"/> to be loaded before activation.</summary>
[AttributeUsage(AttributeTargets.Parameter)]
public sealed class PersistentStateAttribute(string stateName) : Attribute
{
    public string StateName { get; } = stateName;
}
