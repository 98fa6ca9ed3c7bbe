using k8s;
using k8s.Models;
using SpotOptimizer.Agent.Signals;

namespace SpotOptimizer.Agent.Tests.Signals;

/// <summary>Which of Karpenter's events are Spot warnings, and how the warnings and NTH's taints share one ledger of what was reported.</summary>
public sealed class KarpenterSignalsTests
{
    private static readonly DateTimeOffset Seen = new(2026, 12, 3, 10, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("Node", "SpotInterrupted", "interruption")]
    [InlineData("Node", "SpotRebalanceRecommendation", "rebalance_recommendation")]
    [InlineData("Node", "InstanceTerminating", null)]
    [InlineData("Node", "InstanceStopping", null)]
    [InlineData("NodeClaim", "SpotInterrupted", null)]
    [InlineData("Pod", "SpotInterrupted", null)]
    public void Of_OnlyKarpentersSpotWarningsAboutNodes(string kind, string reason, string? expected)
    {
        var warning = KarpenterSignals.Of(Event(kind, reason, firstTimestamp: Seen.AddSeconds(-30)), Seen);

        Assert.Equal(expected, warning?.Kind);
        if (warning is not null) Assert.Equal(("ip-10-0-1-2.ec2.internal", Seen.AddSeconds(-30)), (warning.NodeName, warning.NoticeTime));
    }

    [Fact]
    public void Of_NoTimestamps_WhenSeen()
    {
        Assert.Equal(Seen, KarpenterSignals.Of(Event("Node", "SpotInterrupted", firstTimestamp: null), Seen)!.NoticeTime);
    }

    [Fact]
    public void Claim_SignalAlreadyReportedFromTheTaint_NotAgain_InstanceRememberedAnHourAfterDeletion()
    {
        var reported = new ReportedSignals();
        var node = KubernetesJson.Deserialize<V1Node>("""
            {"metadata":{"name":"ip-10-0-1-2.ec2.internal"},
             "spec":{"providerID":"aws:///us-east-1a/i-0a1b2c3d4e5f60718","taints":[{"key":"aws-node-termination-handler/spot-itn","effect":"NoSchedule"}]}}
            """);

        var fromTaint = reported.Observe(WatchEventType.Modified, node, Seen);
        reported.Observe(WatchEventType.Deleted, node, Seen.AddMinutes(1));
        var instance = reported.InstanceOf("ip-10-0-1-2.ec2.internal");
        var interruptionAgain = reported.Claim(new InterruptionSignal("ip-10-0-1-2.ec2.internal", "i-0a1b2c3d4e5f60718", "interruption", Seen));
        var rebalance = reported.Claim(new InterruptionSignal("ip-10-0-1-2.ec2.internal", "i-0a1b2c3d4e5f60718", "rebalance_recommendation", Seen));
        reported.Observe(WatchEventType.Added, Node("ip-10-0-9-9.ec2.internal", "i-0000000000000000f"), Seen.AddMinutes(62));
        var forgotten = reported.InstanceOf("ip-10-0-1-2.ec2.internal");

        Assert.Equal(["interruption"], fromTaint.Select(s => s.Kind));
        Assert.Equal("i-0a1b2c3d4e5f60718", instance);
        Assert.False(interruptionAgain);
        Assert.True(rebalance);
        Assert.Null(forgotten);
        Assert.Equal("i-0000000000000000f", reported.InstanceOf("ip-10-0-9-9.ec2.internal"));
    }

    private static V1Node Node(string name, string instanceId) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1NodeSpec { ProviderID = $"aws:///us-east-1a/{instanceId}" },
    };

    private static Corev1Event Event(string kind, string reason, DateTimeOffset? firstTimestamp) => new()
    {
        Metadata = new V1ObjectMeta { Name = "ip-10-0-1-2.ec2.internal.17e1", NamespaceProperty = "default" },
        InvolvedObject = new V1ObjectReference { Kind = kind, Name = "ip-10-0-1-2.ec2.internal" },
        Reason = reason,
        FirstTimestamp = firstTimestamp?.UtcDateTime,
    };
}
