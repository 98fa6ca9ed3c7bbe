using SpotOptimizer.Optimization.Market;

namespace SpotOptimizer.Optimization.Tests;

/// <summary>Small hand-made instance types for algorithm tests.</summary>
internal static class Catalog
{
    public static InstanceTypeInfo Type(string name, int vcpu, int memoryGiB, CpuArchitecture architecture = CpuArchitecture.Amd64) =>
        new(name, InstanceTypeInfo.FamilyOf(name), name[..1], 5, name[(name.IndexOf('.', StringComparison.Ordinal) + 1)..], architecture,
            vcpu, memoryGiB * 1024, vcpu * 1000 - 70, memoryGiB * 1024 - 700, 29, 0, null);
}
