using k8s.Models;
using SpotOptimizer.Agent.Inventory;

namespace SpotOptimizer.Agent.Usage;

/// <summary>One pod's usage at one instant, with the workload it counts for (namespace, owner kind, owner name).</summary>
public sealed record PodSample(string Namespace, string Pod, string Kind, string Workload, DateTimeOffset At, double CpuMillicores, double MemoryMiB);

/// <summary>
/// metrics-server's PodMetrics → samples of the pods the inventory reports (DaemonSet, mirror and finished pods are
/// not, so their usage is not kept either), each owned as <see cref="Owners"/> says. Pure.
/// </summary>
public static class PodUsageSamples
{
    /// <param name="now">The time of a PodMetrics without its own timestamp.</param>
    public static IReadOnlyList<PodSample> From(ClusterSnapshot cluster, IEnumerable<PodMetrics> metrics, DateTimeOffset now)
    {
        var owners = new Owners(cluster.ReplicaSets);
        var pods = cluster.Pods.Where(PodMapper.IsReported)
            .GroupBy(p => (p.Metadata.NamespaceProperty, p.Metadata.Name))
            .ToDictionary(g => g.Key, g => g.First());
        var samples = new List<PodSample>();
        foreach (var metric in metrics)
        {
            if (metric.Metadata is not { } meta || !pods.TryGetValue((meta.NamespaceProperty, meta.Name), out var pod)) continue;
            var containers = metric.Containers ?? [];
            var cpu = containers.Sum(c => Usage(c, "cpu") * 1000);
            var memory = containers.Sum(c => Usage(c, "memory") / (1024 * 1024));
            var (kind, workload) = owners.Of(pod);
            var at = metric.Timestamp is { } stamp ? new DateTimeOffset(DateTime.SpecifyKind(stamp, DateTimeKind.Utc)) : now;
            samples.Add(new PodSample(meta.NamespaceProperty, meta.Name, kind, workload, at, (double)cpu, (double)memory));
        }

        return samples;
    }

    /// <summary>CPU in cores, memory in bytes, as the quantity says; a missing one is zero.</summary>
    private static decimal Usage(ContainerMetrics container, string resource) =>
        container.Usage?.TryGetValue(resource, out var quantity) == true && quantity is not null ? Math.Max(0, quantity.ToDecimal()) : 0;
}
