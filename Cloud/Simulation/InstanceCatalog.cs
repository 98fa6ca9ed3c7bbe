namespace SpotOptimizer.Cloud.Simulation;

/// <summary>One instance type of the built-in catalog.</summary>
/// <param name="OnDemandPrice">Linux On-Demand $/hour in us-east-1.</param>
/// <param name="MaxPods">EKS's default max pods for the type (ENI-limited).</param>
/// <param name="SpotDiscount">Typical Spot discount off On-Demand, the centre of the simulated price walk.</param>
public sealed record InstanceTypeSpec(string Name, int VCpus, double MemoryGiB, string Architecture, decimal OnDemandPrice, int MaxPods, double SpotDiscount);

/// <summary>
/// A small built-in catalog so the embedded default needs no data files: prices are public us-east-1 Linux
/// On-Demand list prices; Spot discounts are typical values from the Spot Advisor.
/// </summary>
public static class InstanceCatalog
{
    public static readonly IReadOnlyList<InstanceTypeSpec> Types =
    [
        new("t3.medium", 2, 4, "x86_64", 0.0416m, 17, 0.68),
        new("t3.large", 2, 8, "x86_64", 0.0832m, 35, 0.68),
        new("m5.large", 2, 8, "x86_64", 0.096m, 29, 0.62),
        new("m5.xlarge", 4, 16, "x86_64", 0.192m, 58, 0.61),
        new("m5.2xlarge", 8, 32, "x86_64", 0.384m, 58, 0.63),
        new("c5.large", 2, 4, "x86_64", 0.085m, 29, 0.58),
        new("c5.xlarge", 4, 8, "x86_64", 0.17m, 58, 0.57),
        new("c5.2xlarge", 8, 16, "x86_64", 0.34m, 58, 0.6),
        new("r5.large", 2, 16, "x86_64", 0.126m, 29, 0.66),
        new("r5.xlarge", 4, 32, "x86_64", 0.252m, 58, 0.67),
        new("m6g.large", 2, 8, "arm64", 0.077m, 29, 0.6),
        new("m6g.xlarge", 4, 16, "arm64", 0.154m, 58, 0.6),
        new("c6g.xlarge", 4, 8, "arm64", 0.136m, 58, 0.58),
    ];

    public static InstanceTypeSpec? Find(string name) => Types.FirstOrDefault(t => t.Name == name);

    public static InstanceTypeSpec Get(string name) =>
        Find(name) ?? throw new CloudException(CloudErrorCodes.InvalidRequest, $"Instance type '{name}' is not in the simulator's catalog.");
}
