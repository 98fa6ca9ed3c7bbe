namespace SpotOptimizer.Runtime;

/// <summary>
/// Identity of a grain: its grain type (a stable storage name, not a CLR name) and a string key.
/// A grain class implementing several grain interfaces is still one grain per key, as in Orleans.
/// </summary>
public readonly record struct GrainId(string Type, string Key)
{
    public override string ToString() => $"{Type}/{Key}";
}
