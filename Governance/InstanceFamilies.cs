namespace SpotOptimizer.Governance;

[Flags]
public enum Architecture
{
    None = 0,
    X64 = 1,
    Arm64 = 2,
}

/// <summary>An EC2 instance family as AWS publishes it: category letter, architectures, GPU model, vCPU range.</summary>
public sealed record InstanceFamily(string Name, string Category, Architecture Architectures, string? Gpu, int MinVcpu, int MaxVcpu)
{
    public bool HasGpu => Gpu is not null;

    /// <summary>Burstable families run on CPU credits: fine for idle pods, a trap for steady load.</summary>
    public bool IsBurstable => Category == "t";

    public bool Supports(Architecture architecture) => (Architectures & architecture) == architecture;
}

public static partial class InstanceFamilies
{
    public static IReadOnlyCollection<InstanceFamily> All => Table.Values;

    /// <summary>A current family (<see cref="All"/>) or a previous-generation one that templates still name.</summary>
    public static InstanceFamily? Find(string name)
    {
        var key = name.Trim().ToLowerInvariant();
        return Table.GetValueOrDefault(key) ?? PreviousGeneration.GetValueOrDefault(key);
    }

    public static Architecture? ParseArchitecture(string value) => value.Trim().ToLowerInvariant() switch
    {
        "x86_64" or "amd64" or "x86" => Architecture.X64,
        "arm64" or "aarch64" => Architecture.Arm64,
        _ => null,
    };

    public static string Name(Architecture architecture) => architecture == Architecture.Arm64 ? "arm64" : "x86_64";
}
