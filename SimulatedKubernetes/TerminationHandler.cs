using k8s.Models;
using SpotOptimizer.Cloud;
using SpotOptimizer.Cloud.Simulation;

namespace SpotOptimizer.SimulatedKubernetes;

/// <summary>
/// A simulated cluster as its Kubernetes API shows it at a moment, with whatever handles Spot warnings in it. A node a
/// Karpenter NodePool launched is Karpenter's (<see cref="KarpenterInterruptions"/>: an Event, the disrupted taint);
/// every other node has the AWS Node Termination Handler: when the simulated cloud issues a Spot interruption notice or
/// a rebalance recommendation for its instance, the node carries the taint NTH puts on it (NTH's own keys,
/// <c>NoSchedule</c>, the event as the value), and an interrupted node is cordoned as NTH cordons it. The node stays
/// listed until its instance terminates, then it is gone.
/// </summary>
public static class TerminationHandler
{
    /// <summary>NTH's taint for a Spot interruption notice (pkg/node: <c>SpotInterruptionTaint</c>).</summary>
    public const string SpotInterruptionTaint = "aws-node-termination-handler/spot-itn";

    /// <summary>NTH's taint for an EC2 rebalance recommendation (pkg/node: <c>RebalanceRecommendationTaint</c>).</summary>
    public const string RebalanceRecommendationTaint = "aws-node-termination-handler/rebalance-recommendation";

    /// <param name="region">The cluster's region in the simulated world; null (an unknown account or region) lists no nodes.</param>
    /// <param name="seed">The cluster's workload seed (<see cref="SimulatedWorkloads.SeedOf"/>).</param>
    public static KubernetesObjects ClusterAt(SimulatedRegion? region, string clusterName, int seed, DateTimeOffset now)
    {
        var clusterNodes = region?.NodesOf(clusterName).ToList() ?? [];
        var objects = KubernetesObjects.From(SimulatedWorkloads.For(clusterNodes, seed, now));
        var notices = (region?.Notices ?? []).Where(n => n.NoticeTime <= now).ToList();
        var byInstance = notices.ToLookup(n => n.InstanceId, StringComparer.Ordinal);
        foreach (var node in objects.Nodes.Items)
        {
            var karpenter = node.Metadata.Labels?.ContainsKey(KarpenterNodePools.NodePoolLabel) == true;
            foreach (var notice in byInstance[InstanceId(node)])
            {
                if (karpenter) KarpenterInterruptions.Taint(node, notice);
                else Apply(node, notice);
            }
        }

        return objects with { Events = KarpenterInterruptions.Events(clusterNodes, notices, objects.Nodes.Items, now) };
    }

    internal static string InstanceId(V1Node node) => node.Spec.ProviderID[(node.Spec.ProviderID.LastIndexOf('/') + 1)..];

    private static void Apply(V1Node node, InterruptionNotice notice)
    {
        var interruption = notice.Kind == InterruptionKind.Interruption;
        var key = interruption ? SpotInterruptionTaint : RebalanceRecommendationTaint;
        var taints = node.Spec.Taints ?? [];
        if (taints.Any(t => t.Key == key)) return;
        // NTH writes no timeAdded (the API server only stamps NoExecute taints); the simulator does, so the notice's own
        // time reaches the platform — the agent falls back to when it first saw the taint, as it must with the real NTH.
        taints.Add(new V1Taint
        {
            Key = key,
            Value = $"{(interruption ? "spot-itn" : "rebalance")}-{notice.NoticeTime.ToUnixTimeSeconds()}",
            Effect = "NoSchedule",
            TimeAdded = notice.NoticeTime.UtcDateTime,
        });
        node.Spec.Taints = taints;
        if (interruption) node.Spec.Unschedulable = true;
    }
}
