using SpotOptimizer.Optimization.Market;

namespace SpotOptimizer.Optimization.Tests;

/// <summary>Small hand-made instance types for algorithm tests.</summary>
internal static class Catalog
{
    /// <summary>A type whose allocatable resources equal its raw ones (no kubelet reservation), unless given.</summary>
    public static InstanceTypeInfo Type(string name, int vcpu, int memoryGiB, CpuArchitecture architecture = CpuArchitecture.Amd64, int? allocatableCpuMillicores = null, int? allocatableMemoryMiB = null) =>
        new(name, InstanceTypeInfo.FamilyOf(name), name[..1], 5, name[(name.IndexOf('.', StringComparison.Ordinal) + 1)..], architecture,
            vcpu, memoryGiB * 1024, allocatableCpuMillicores ?? vcpu * 1000, allocatableMemoryMiB ?? memoryGiB * 1024, 29, 0, null);
}
