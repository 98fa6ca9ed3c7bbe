using SpotOptimizer.Agent.Inventory;
using SpotOptimizer.Agent.Usage;
using SpotOptimizer.SimulatedKubernetes;

namespace SpotOptimizer.Api.Demo;

/// <summary>
/// The usage history a demo cluster's agent would hold had it been running for the whole usage window: its sketches
/// are filled, before it starts, with the simulated metrics-server's answers at one scrape every 30 minutes of the window
/// for the pods running now (<see cref="SimulatedPodUsage"/> is deterministic in pod and time, so the history and the
/// live samples that follow agree). Without it the demo could not right-size for two days (the right-sizer's minimum),
/// which is what a real cluster shows after connecting; the demo is there to show the answer.
/// </summary>
internal static class DemoUsageHistory
{
    /// <summary>672 samples a pod over 14 days: enough for a p99, a third of a second of CPU for a demo cluster.</summary>
    public static readonly TimeSpan Step = TimeSpan.FromMinutes(30);

    /// <returns>The samples recorded.</returns>
    public static int Fill(UsageHistory history, KubernetesObjects cluster, DateTimeOffset now, TimeSpan window)
    {
        var owners = new Owners(cluster.ReplicaSets.Items);
        var pods = cluster.Pods.Items.Where(p => PodMapper.IsReported(p) && p.Spec.NodeName is not null)
            .Select(p => (Key: $"{p.Metadata.NamespaceProperty}/{p.Metadata.Name}", Pod: p, Owner: owners.Of(p), Shape: KubernetesPodMetrics.ShapeOf(cluster, p)))
            .ToList();
        // On metrics-server's scrape grid, ending before the scrape the agent's first live read will see.
        var resolution = KubernetesPodMetrics.Resolution.Ticks;
        var current = now.UtcTicks - (now.UtcTicks % resolution);
        var recorded = 0;
        for (var at = new DateTimeOffset(current - window.Ticks + Step.Ticks, TimeSpan.Zero); at.UtcTicks < current; at += Step)
        {
            recorded += history.Record(pods.Select(p =>
            {
                var (cpu, memory) = SimulatedPodUsage.At(p.Shape, p.Key, at);
                return new PodSample(p.Pod.Metadata.NamespaceProperty, p.Pod.Metadata.Name, p.Owner.Kind, p.Owner.Name, at, cpu, memory);
            }), complete: false);
        }

        return recorded;
    }
}
