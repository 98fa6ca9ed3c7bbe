using k8s;
using k8s.Models;
using SpotOptimizer.Agent.Signals;

namespace SpotOptimizer.Agent.Tests.Signals;

/// <summary>Nodes in the API's JSON, as NTH and Karpenter leave them → the signals the agent reports, once each.</summary>
public sealed class NodeSignalsTests
{
    private static readonly DateTimeOffset Seen = DateTimeOffset.Parse("2026-12-03T10:00:30Z");

    [Fact]
    public void Of_NthSpotItnWithTimeAdded_InterruptionAtThatTime()
    {
        var node = Node("i-0a1b2c3d4e5f60718", """{"key":"aws-node-termination-handler/spot-itn","value":"spot-itn-3f2a","effect":"NoSchedule","timeAdded":"2026-12-03T10:00:02Z"}""");

        var signal = Assert.Single(NodeSignals.Of(node, Seen));

        Assert.Equal(new InterruptionSignal("ip-10-0-1-2.ec2.internal", "i-0a1b2c3d4e5f60718", "interruption", DateTimeOffset.Parse("2026-12-03T10:00:02Z")), signal);
    }

    [Fact]
    public void Of_NthRebalanceWithoutTimeAdded_RebalanceRecommendationWhenSeen()
    {
        // NTH's taints are NoSchedule and the API server stamps timeAdded on NoExecute taints only.
        var node = Node("i-0a1b2c3d4e5f60718", """{"key":"aws-node-termination-handler/rebalance-recommendation","value":"rebalance-9c1d","effect":"NoSchedule"}""");

        Assert.Equal([("rebalance_recommendation", Seen)], NodeSignals.Of(node, Seen).Select(s => (s.Kind, s.NoticeTime)));
    }

    [Theory]
    [InlineData("karpenter.sh/disrupted")]
    [InlineData("aws-node-termination-handler/scheduled-maintenance")]
    [InlineData("aws-node-termination-handler/asg-lifecycle-termination")]
    [InlineData("node.kubernetes.io/unreachable")]
    public void Of_TaintsThatAreNotSpotWarnings_Nothing(string key)
    {
        Assert.Empty(NodeSignals.Of(Node("i-0a1b2c3d4e5f60718", $$"""{"key":"{{key}}","effect":"NoSchedule"}"""), Seen));
    }

    [Fact]
    public void Of_NodeWithoutAnEc2ProviderId_Nothing()
    {
        var fargate = Node("i-0a1b2c3d4e5f60718", """{"key":"aws-node-termination-handler/spot-itn","effect":"NoSchedule"}""");
        fargate.Spec.ProviderID = "fargate://us-east-1a/fargate-ip-10-0-3-4";

        Assert.Empty(NodeSignals.Of(fargate, Seen));
    }

    [Fact]
    public void Observe_SameNodeChangingAndListedAgain_EachKindReportedOnce()
    {
        var reported = new ReportedSignals();
        var rebalance = """{"key":"aws-node-termination-handler/rebalance-recommendation","effect":"NoSchedule"}""";
        var itn = """{"key":"aws-node-termination-handler/spot-itn","effect":"NoSchedule"}""";

        var first = reported.Observe(WatchEventType.Modified, Node("i-0a1b2c3d4e5f60718", rebalance), Seen);
        var again = reported.Observe(WatchEventType.Modified, Node("i-0a1b2c3d4e5f60718", rebalance), Seen);
        var both = reported.Observe(WatchEventType.Modified, Node("i-0a1b2c3d4e5f60718", rebalance, itn), Seen);
        var relisted = reported.Relist([Node("i-0a1b2c3d4e5f60718", rebalance, itn)], Seen);

        Assert.Equal(["rebalance_recommendation"], first.Select(s => s.Kind));
        Assert.Empty(again);
        Assert.Equal(["interruption"], both.Select(s => s.Kind));
        Assert.Empty(relisted);
    }

    [Fact]
    public void Observe_DeletedNodes_OnlyASignalInTheLastStateIsReported()
    {
        var reported = new ReportedSignals();

        var plain = reported.Observe(WatchEventType.Deleted, Node("i-0000000000000000a"), Seen);
        var tainted = reported.Observe(WatchEventType.Deleted, Node("i-0000000000000000b", """{"key":"aws-node-termination-handler/spot-itn","effect":"NoSchedule"}"""), Seen);

        Assert.Empty(plain);
        Assert.Equal([("i-0000000000000000b", "interruption")], tainted.Select(s => (s.InstanceId, s.Kind)));
    }

    /// <summary>A Spot node as the API lists it, with the given taints (JSON objects).</summary>
    private static V1Node Node(string instanceId, params string[] taints) => KubernetesJson.Deserialize<V1Node>($$$"""
        {"apiVersion":"v1","kind":"Node",
         "metadata":{"name":"ip-10-0-1-2.ec2.internal","labels":{"karpenter.sh/capacity-type":"spot"},"resourceVersion":"4711"},
         "spec":{"providerID":"aws:///us-east-1a/{{{instanceId}}}","taints":[{{{string.Join(',', taints)}}}]}}
        """);
}
