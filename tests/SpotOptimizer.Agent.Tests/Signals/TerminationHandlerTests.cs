using SpotOptimizer.Cloud;
using SpotOptimizer.Cloud.Simulation;
using SpotOptimizer.SimulatedKubernetes;

namespace SpotOptimizer.Agent.Tests.Signals;

/// <summary>
/// The simulated cluster's handlers of Spot warnings: on a node group's node NTH taints it (and, interrupted, cordons it)
/// until its instance terminates; on a Karpenter node Karpenter records an event that outlives the node.
/// </summary>
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

    [Fact]
    public void ClusterAt_KarpenterNodeInterrupted_EventAndDisruptedTaintNoNthTaint_EventKeptAfterTheNodeIsGone()
    {
        var cloud = new SimulatedCloud(SimulatedWorld.Demo(Seed));
        var (cluster, spot) = SpotNode(cloud);
        var node = Region(cloud).Instances.Single(n => n.Instance.InstanceId == spot);
        cloud.AddInstance(SimulatedWorld.DemoAccountId, SimulatedWorld.DemoRegion,
            node with { Instance = node.Instance with { Tags = new Dictionary<string, string>(node.Instance.Tags) { [Ec2Instance.NodePoolTag] = "default" } } });

        var notice = cloud.InterruptSpotInstance(SimulatedWorld.DemoAccountId, SimulatedWorld.DemoRegion, spot);
        var warned = TerminationHandler.ClusterAt(Region(cloud), cluster, Seed, notice.NoticeTime.AddSeconds(1));
        var afterTermination = TerminationHandler.ClusterAt(Region(cloud), cluster, Seed, notice.ActionTime!.Value.AddMinutes(10));
        var anHourLater = TerminationHandler.ClusterAt(Region(cloud), cluster, Seed, notice.NoticeTime.AddHours(1).AddSeconds(1));

        var warnedNode = warned.Nodes.Items.Single(n => n.Spec.ProviderID.EndsWith($"/{spot}", StringComparison.Ordinal));
        Assert.Equal("default", warnedNode.Metadata.Labels["karpenter.sh/nodepool"]);
        Assert.Equal([("karpenter.sh/disrupted", "NoSchedule")], warnedNode.Spec.Taints.Select(t => (t.Key, t.Effect)));
        Assert.NotEqual(true, warnedNode.Spec.Unschedulable);
        var e = Assert.Single(warned.Events!.Items);
        Assert.Equal(("Node", warnedNode.Metadata.Name, "SpotInterrupted", "Warning", "default"),
            (e.InvolvedObject.Kind, e.InvolvedObject.Name, e.Reason, e.Type, e.Metadata.NamespaceProperty));
        Assert.Equal(notice.NoticeTime.ToUnixTimeSeconds(), new DateTimeOffset(DateTime.SpecifyKind(e.FirstTimestamp!.Value, DateTimeKind.Utc)).ToUnixTimeSeconds());
        Assert.DoesNotContain(afterTermination.Nodes.Items, n => n.Metadata.Name == warnedNode.Metadata.Name);
        Assert.Equal([e.Metadata.Name], afterTermination.Events!.Items.Select(x => x.Metadata.Name));
        Assert.Empty(anHourLater.Events!.Items);
        // Every other Spot warning in the cluster is still NTH's.
        Assert.All(warned.Nodes.Items.Where(n => n != warnedNode), n => Assert.Null(n.Spec.Taints));
    }

    [Fact]
    public void ClusterAt_ObservedRegion_ALaunchedNodeJoinsOnceBooted()
    {
        var cloud = new SimulatedCloud(SimulatedWorld.Demo(Seed));
        var (cluster, spot) = SpotNode(cloud);
        var launchedAt = new DateTimeOffset(2026, 11, 2, 10, 0, 0, TimeSpan.Zero);
        var old = Region(cloud).Instances.Single(n => n.Instance.InstanceId == spot);
        cloud.AddInstance(SimulatedWorld.DemoAccountId, SimulatedWorld.DemoRegion, old with
        {
            Instance = old.Instance with { InstanceId = "i-0123456789abcdef0", State = InstanceState.Pending, LaunchTime = launchedAt },
            PodCount = 0,
        });
        var boot = new SimulatedCloudOptions().BootTime;

        k8s.Models.V1Node? Joined(DateTimeOffset at) => TerminationHandler.ClusterAt(cloud.ObservedAt(Region(cloud), at), cluster, Seed, at)
            .Nodes.Items.SingleOrDefault(n => n.Spec.ProviderID.EndsWith("/i-0123456789abcdef0", StringComparison.Ordinal));

        Assert.Null(Joined(launchedAt + boot / 2));
        var joined = Joined(launchedAt + boot + TimeSpan.FromSeconds(1));
        Assert.Equal("True", joined!.Status.Conditions.Single(c => c.Type == "Ready").Status);
        // The stored state stays pending: only the observed view boots it.
        Assert.Null(TerminationHandler.ClusterAt(Region(cloud), cluster, Seed, launchedAt + boot * 2).Nodes.Items
            .SingleOrDefault(n => n.Spec.ProviderID.EndsWith("/i-0123456789abcdef0", StringComparison.Ordinal)));
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
