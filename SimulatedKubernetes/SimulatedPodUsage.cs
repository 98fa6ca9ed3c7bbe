using SpotOptimizer.Grains.Interfaces.Clusters;

namespace SpotOptimizer.SimulatedKubernetes;

/// <summary>
/// What a simulated pod uses at a given moment: a draw from a distribution whose quantiles are its workload's usage
/// shape (p50, p95, p99, with a floor at 60 % of p50 and a ceiling 5 % above p99, linear in between), so the
/// percentiles of enough samples converge to the shape. Deterministic: the same pod at the same instant always uses the
/// same, so the demo's history and its live metrics agree, and tests can predict them.
/// </summary>
public static class SimulatedPodUsage
{
    private static readonly double[] Quantiles = [0, 0.50, 0.95, 0.99, 1];

    /// <summary>A workload without a measured shape (a batch job, a DaemonSet's pod): its requests' 40 / 70 / 80 %.</summary>
    public static WorkloadUsage FromRequests(double cpuMillicores, double memoryMiB) =>
        new(14, "metrics-server",
            (int)(cpuMillicores * 0.4), (int)(cpuMillicores * 0.7), (int)(cpuMillicores * 0.8),
            (int)(memoryMiB * 0.4), (int)(memoryMiB * 0.7), (int)(memoryMiB * 0.8));

    /// <param name="pod">The pod's <c>namespace/name</c>: pods of one workload vary independently.</param>
    public static (double CpuMillicores, double MemoryMiB) At(WorkloadUsage shape, string pod, DateTimeOffset at)
    {
        var cpu = Draw([shape.CpuP50Millicores * 0.6, shape.CpuP50Millicores, shape.CpuP95Millicores, shape.CpuP99Millicores, shape.CpuP99Millicores * 1.05], Uniform(pod, at, 1));
        var memory = Draw([shape.MemoryP50MiB * 0.6, shape.MemoryP50MiB, shape.MemoryP95MiB, shape.MemoryP99MiB, shape.MemoryP99MiB * 1.05], Uniform(pod, at, 2));
        return (cpu, memory);
    }

    /// <summary>The inverse of the piecewise-linear distribution through (quantile, value) knots.</summary>
    public static double Draw(double[] values, double u)
    {
        for (var i = 1; i < Quantiles.Length; i++)
        {
            if (u <= Quantiles[i]) return values[i - 1] + ((values[i] - values[i - 1]) * (u - Quantiles[i - 1]) / (Quantiles[i] - Quantiles[i - 1]));
        }

        return values[^1];
    }

    /// <summary>[0, 1) from the pod, the instant and the resource: FNV-1a of the name, mixed with the time by SplitMix64.</summary>
    private static double Uniform(string pod, DateTimeOffset at, ulong resource)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in pod) hash = unchecked((hash ^ c) * 1099511628211UL);
        var x = unchecked(hash + ((ulong)at.UtcTicks * 0x9E3779B97F4A7C15UL) + (resource * 0xBF58476D1CE4E5B9UL));
        x = unchecked((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL);
        x = unchecked((x ^ (x >> 27)) * 0x94D049BB133111EBUL);
        x ^= x >> 31;
        return (x >> 11) * (1.0 / (1UL << 53));
    }
}
