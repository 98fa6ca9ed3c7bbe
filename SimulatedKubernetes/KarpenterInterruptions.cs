using System.Globalization;
using k8s.Models;
using SpotOptimizer.Cloud;
using SpotOptimizer.Cloud.Simulation;

namespace SpotOptimizer.SimulatedKubernetes;

/// <summary>
/// Karpenter's side of a Spot warning on the nodes it launched (karpenter-provider-aws's interruption controller): an
/// Event on the node — <c>SpotInterrupted</c> (Warning) for the two-minute notice, <c>SpotRebalanceRecommendation</c>
/// (Normal) for a rebalance recommendation — recorded, as its recorder records events about cluster-scoped objects, in
/// the <c>default</c> namespace; and, for an interruption, the <c>karpenter.sh/disrupted</c> taint it puts on a node it
/// is about to drain. Events stay listed for <see cref="EventTimeToLive"/> (the API server's default), after the node is gone.
/// </summary>
internal static class KarpenterInterruptions
{
    public const string DisruptedTaint = "karpenter.sh/disrupted";

    public static readonly TimeSpan EventTimeToLive = TimeSpan.FromHours(1);

    public static void Taint(V1Node node, InterruptionNotice notice)
    {
        if (notice.Kind != InterruptionKind.Interruption) return;
        var taints = node.Spec.Taints ?? [];
        if (taints.Any(t => t.Key == DisruptedTaint)) return;
        taints.Add(new V1Taint { Key = DisruptedTaint, Effect = "NoSchedule" });
        node.Spec.Taints = taints;
    }

    /// <param name="clusterNodes">The cluster's instances, terminated ones included (an event outlives its node).</param>
    /// <param name="listed">The nodes listed now, whose names the events use.</param>
    public static Corev1EventList Events(IReadOnlyList<SimulatedNode> clusterNodes, IEnumerable<InterruptionNotice> notices, IEnumerable<V1Node> listed, DateTimeOffset now)
    {
        var karpenter = clusterNodes.Where(n => n.Instance.NodePool is not null).ToDictionary(n => n.Instance.InstanceId, n => n.Instance, StringComparer.Ordinal);
        var names = listed.ToDictionary(TerminationHandler.InstanceId, n => n.Metadata.Name, StringComparer.Ordinal);
        var events = notices
            .Where(n => now - n.NoticeTime < EventTimeToLive && karpenter.ContainsKey(n.InstanceId))
            .Select(n => Event(names.GetValueOrDefault(n.InstanceId) ?? karpenter[n.InstanceId].PrivateDnsName, n))
            .ToList();
        return new Corev1EventList { ApiVersion = "v1", Kind = "EventList", Metadata = new V1ListMeta(), Items = events };
    }

    private static Corev1Event Event(string nodeName, InterruptionNotice notice)
    {
        var interruption = notice.Kind == InterruptionKind.Interruption;
        var at = notice.NoticeTime.UtcDateTime;
        // client-go names an event <object>.<hex of the recording time in nanoseconds>.
        var name = $"{nodeName}.{(notice.NoticeTime.ToUnixTimeMilliseconds() * 1_000_000 + (interruption ? 1 : 2)).ToString("x", CultureInfo.InvariantCulture)}";
        return new Corev1Event
        {
            ApiVersion = "v1",
            Kind = "Event",
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default", Uid = KubernetesObjects.Uid("Event", name), CreationTimestamp = at },
            InvolvedObject = new V1ObjectReference { ApiVersion = "v1", Kind = "Node", Name = nodeName, Uid = KubernetesObjects.Uid("node", notice.InstanceId) },
            Reason = interruption ? "SpotInterrupted" : "SpotRebalanceRecommendation",
            Message = interruption ? "Spot interruption warning was triggered" : "Spot rebalance recommendation was triggered",
            Type = interruption ? "Warning" : "Normal",
            Source = new V1EventSource { Component = "karpenter" },
            ReportingComponent = "karpenter",
            FirstTimestamp = at,
            LastTimestamp = at,
            Count = 1,
        };
    }
}
