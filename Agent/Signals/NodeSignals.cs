using k8s.Models;
using SpotOptimizer.Agent.Inventory;

namespace SpotOptimizer.Agent.Signals;

/// <summary>A Spot instance's warning as the platform takes it (<c>POST /api/agent/interruptions</c>).</summary>
/// <param name="Kind"><see cref="NodeSignals.Interruption"/> or <see cref="NodeSignals.RebalanceRecommendation"/>.</param>
public sealed record InterruptionSignal(string NodeName, string InstanceId, string Kind, DateTimeOffset NoticeTime);

/// <summary>
/// What on a node means EC2 is taking its Spot instance back. Only the AWS Node Termination Handler says so on the node
/// itself, with a taint per event (its pkg/node constants):
/// <list type="bullet">
/// <item><c>aws-node-termination-handler/spot-itn</c> — the two-minute Spot interruption notice → <c>interruption</c>;</item>
/// <item><c>aws-node-termination-handler/rebalance-recommendation</c> — EC2's rebalance recommendation → <c>rebalance_recommendation</c>.</item>
/// </list>
/// Not signals: NTH's <c>scheduled-maintenance</c> and <c>asg-lifecycle-termination</c> taints (EC2 maintenance and an
/// Auto Scaling scale-in happen to On-Demand nodes too and say nothing about the Spot pool), Karpenter's
/// <c>karpenter.sh/disrupted</c> taint (Karpenter puts it on every node it disrupts — consolidation, drift, expiry and
/// interruption alike; the cause is in its Events, read by <see cref="KarpenterSignals"/>), node conditions (neither NTH
/// nor Karpenter reports through them), and a node's deletion by itself (our own drains, consolidation and scale-in
/// delete nodes too).
/// </summary>
public static class NodeSignals
{
    public const string Interruption = "interruption";
    public const string RebalanceRecommendation = "rebalance_recommendation";

    public static readonly IReadOnlyDictionary<string, string> TaintKinds = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["aws-node-termination-handler/spot-itn"] = Interruption,
        ["aws-node-termination-handler/rebalance-recommendation"] = RebalanceRecommendation,
    };

    /// <param name="observedAt">The notice time when the taint has no <c>timeAdded</c> (NTH's NoSchedule taints never do).</param>
    /// <returns>One signal per kind the node carries; none for a node that is not an EC2 instance.</returns>
    public static IEnumerable<InterruptionSignal> Of(V1Node node, DateTimeOffset observedAt)
    {
        if (NodeMapper.InstanceId(node.Spec?.ProviderID) is not { } instanceId) yield break;
        var kinds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var taint in node.Spec!.Taints ?? [])
        {
            if (taint.Key is null || !TaintKinds.TryGetValue(taint.Key, out var kind) || !kinds.Add(kind)) continue;
            var added = taint.TimeAdded is { } time ? new DateTimeOffset(DateTime.SpecifyKind(time, DateTimeKind.Utc)) : observedAt;
            yield return new InterruptionSignal(node.Metadata.Name, instanceId, kind, added);
        }
    }
}
