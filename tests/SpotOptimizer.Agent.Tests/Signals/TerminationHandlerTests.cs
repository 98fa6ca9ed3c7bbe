using SpotOptimizer.Cloud;
using SpotOptimizer.Cloud.Simulation;
using SpotOptimizer.SimulatedKubernetes;

namespace SpotOptimizer.Agent.Tests.Signals;

/// <summary>The simulated cluster with NTH in it: a warned Spot node is tainted (and, interrupted, cordoned) until its instance terminates.</summary>
public sealed class TerminationHandlerTests
{
    private const int Seed = 7;

    [Fact]
    public void ClusterAt_InterruptionNotice_TaintedAndCordonedUntilTheInstanceTerminatesThenGone()
    {
        var cloud = new SimulatedCloud(SimulatedWorld.Demo(Seed));
        var (cluster, spot) = SpotNode(cloud);

        var notice = cloud.InterruptSpotInstance(SimulatedWorld.DemoAccountId, SimulatedWorld.DemoRegion, spot);
        var warned = Node(cloud, cluster, spot, notice.NoticeTime.AddSeconds(1));
        var terminated = Node(cloud, cluster, spot, notice.ActionTime!.Value.AddSeconds(1));

        var taint = Assert.Single(warned!.Spec.Taints);
        Assert.Equal((TerminationHandler.SpotInterruptionTaint, "NoSchedule", notice.NoticeTime.ToUnixTimeSeconds()),
            (taint.Key, taint.Effect, new DateTimeOffset(DateTime.SpecifyKind(taint.TimeAdded!.Value, DateTimeKind.Utc)).ToUnixTimeSeconds()));
        Assert.True(warned.Spec.Unschedulable);
        Assert.Null(terminated);
    }

    [Fact]
    public void ClusterAt_RebalanceRecommendation_TaintedNotCordonedAndStillThere()
    {
        var cloud = new SimulatedCloud(SimulatedWorld.Demo(Seed));
        var (cluster, spot) = SpotNode(cloud);
        var before = Node(cloud, cluster, spot, DateTimeOffset.UtcNow);

        var notice = cloud.InterruptSpotInstance(SimulatedWorld.DemoAccountId, SimulatedWorld.DemoRegion, spot, InterruptionKind.RebalanceRecommendation);
        var later = Node(cloud, cluster, spot, notice.NoticeTime.AddHours(1));

        Assert.Null(before!.Spec.Taints);
        Assert.Equal([TerminationHandler.RebalanceRecommendationTaint], later!.Spec.Taints.Select(t => t.Key));
        Assert.NotEqual(true, later.Spec.Unschedulable);
    }

    private static (string Cluster, string InstanceId) SpotNode(SimulatedCloud cloud)
    {
        var node = Region(cloud).Instances.First(n => n.Instance.Lifecycle == InstanceLifecycle.Spot && n.Instance.ClusterName is not null
            && n.TerminatedAt is null && n.Instance.State == InstanceState.Running);
        return (node.Instance.ClusterName!, node.Instance.InstanceId);
    }

    private static k8s.Models.V1Node? Node(SimulatedCloud cloud, string cluster, string instanceId, DateTimeOffset at) =>
        TerminationHandler.ClusterAt(Region(cloud), cluster, Seed, at).Nodes.Items.SingleOrDefault(n => n.Spec.ProviderID.EndsWith($"/{instanceId}", StringComparison.Ordinal));

    private static SimulatedRegion Region(SimulatedCloud cloud) => cloud.World.FindAccount(SimulatedWorld.DemoAccountId)!.FindRegion(SimulatedWorld.DemoRegion)!;
}
