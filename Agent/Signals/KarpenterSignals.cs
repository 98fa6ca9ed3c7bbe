using k8s.Models;

namespace SpotOptimizer.Agent.Signals;

/// <summary>
/// What Karpenter says when EC2 warns it about a Spot instance. Karpenter reads the warnings from its own SQS queue and,
/// unlike the Node Termination Handler, leaves no taint that names the cause (its <c>karpenter.sh/disrupted</c> taint
/// marks consolidation, drift and expiry alike); the cause is in the Events it records on the node (and its NodeClaim),
/// from karpenter-provider-aws's interruption controller:
/// <list type="bullet">
/// <item><c>SpotInterrupted</c> (Warning) — the two-minute Spot interruption warning → <c>interruption</c>;</item>
/// <item><c>SpotRebalanceRecommendation</c> (Normal) — EC2's rebalance recommendation → <c>rebalance_recommendation</c>.</item>
/// </list>
/// Not signals: its <c>InstanceStopping</c>, <c>InstanceTerminating</c> and <c>InstanceUnhealthy</c> events (On-Demand
/// instances get them too; they say nothing about the Spot pool).
/// </summary>
public static class KarpenterSignals
{
    /// <summary>The API server filters: the agent watches only events about nodes.</summary>
    public const string FieldSelector = "involvedObject.kind=Node";

    public static readonly IReadOnlyDictionary<string, string> ReasonKinds = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["SpotInterrupted"] = NodeSignals.Interruption,
        ["SpotRebalanceRecommendation"] = NodeSignals.RebalanceRecommendation,
    };

    /// <summary>A Karpenter warning read from an event: the node it is about, the kind, and when it was given.</summary>
    public sealed record Warning(string NodeName, string Kind, DateTimeOffset NoticeTime);

    /// <param name="observedAt">The notice time when the event carries no time of its own.</param>
    /// <returns>Null for an event that is not one of Karpenter's Spot warnings about a node.</returns>
    public static Warning? Of(Corev1Event e, DateTimeOffset observedAt)
    {
        if (e.InvolvedObject is not { Kind: "Node", Name: { Length: > 0 } node } || e.Reason is null || !ReasonKinds.TryGetValue(e.Reason, out var kind)) return null;
        // Karpenter's recorder (client-go's) sets first/lastTimestamp; events.k8s.io writers set eventTime instead.
        var at = e.FirstTimestamp ?? e.EventTime ?? e.Metadata?.CreationTimestamp;
        return new Warning(node, kind, at is { } time ? new DateTimeOffset(DateTime.SpecifyKind(time, DateTimeKind.Utc)) : observedAt);
    }
}
