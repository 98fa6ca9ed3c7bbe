namespace SpotOptimizer.Optimization.Market;

public enum CpuArchitecture
{
    Amd64 = 1,
    Arm64 = 2,
}

/// <summary>
/// One EC2 instance type as the selection needs it (Karpenter's catalog: raw vCPU and memory, plus what a pod can
/// allocate on an AL2023 node).
/// </summary>
public sealed record InstanceTypeInfo(
    string Name,
    string Family,
    string Category,
    int Generation,
    string Size,
    CpuArchitecture Architecture,
    int VCpu,
    int MemoryMiB,
    int AllocatableCpuMillicores,
    int AllocatableMemoryMiB,
    int MaxPods,
    int GpuCount,
    string? GpuName)
{
    public double MemoryGiB => MemoryMiB / 1024.0;

    /// <summary>The family part of an instance type name: <c>m5.xlarge</c> → <c>m5</c>.</summary>
    public static string FamilyOf(string instanceType)
    {
        var dot = instanceType.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? instanceType : instanceType[..dot];
    }
}
