using System.Reflection;

namespace SpotOptimizer.Runtime.Invocation;

/// <summary>
/// A grain reference: a generated implementation of the grain interface whose every method becomes a message.
/// Cheap to create; holds only the runtime and the grain's identity.
/// </summary>
#pragma warning disable CA1852 // DispatchProxy derives a generated type from this class
internal class GrainReferenceProxy : DispatchProxy
#pragma warning restore CA1852
{
    internal GrainRuntime Runtime { get; set; } = null!;

    internal GrainId Target { get; set; }

    public override string ToString() => $"GrainReference({Target})";

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) =>
        MethodDispatch.For(targetMethod!).Send(Runtime, Target, args ?? []);
}
