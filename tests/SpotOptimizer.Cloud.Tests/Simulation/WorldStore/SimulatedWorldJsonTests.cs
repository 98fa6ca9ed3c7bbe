using SpotOptimizer.Cloud.Simulation;

namespace SpotOptimizer.Cloud.Tests.Simulation.WorldStore;

public sealed class SimulatedWorldJsonTests
{
    private const string Account = SimulatedWorld.DemoAccountId;
    private const string Region = SimulatedWorld.DemoRegion;

    [Fact]
    public async Task Deserialize_SerializedBusySnapshot_SameJsonAndEveryKindOfValue()
    {
        var (snapshot, _) = await BusySnapshotAsync();

        var json = SimulatedWorldJson.Serialize(snapshot);
        var back = SimulatedWorldJson.Deserialize(snapshot.Version, json);

        Assert.Equal(json, SimulatedWorldJson.Serialize(back));
        // Re-serializing agrees even when a property is lost both ways, so each kind of value is checked as well.
        var (was, now) = (RegionOf(snapshot), RegionOf(back));
        Assert.Equal(was.Instances.Count, now.Instances.Count);
        Assert.Equal(was.Instances.Select(n => (n.Instance.InstanceId, n.Instance.LaunchTime, n.Instance.State, n.Instance.RootDeviceName, n.TerminatedAt)),
            now.Instances.Select(n => (n.Instance.InstanceId, n.Instance.LaunchTime, n.Instance.State, n.Instance.RootDeviceName, n.TerminatedAt)));
        Assert.Equal(was.Instances[0].Instance.Tags, now.Instances[0].Instance.Tags);
        Assert.Equal(was.Clusters.Select(c => c.Cluster), now.Clusters.Select(c => c.Cluster));
        Assert.Equal(was.Clusters[0].Nodegroups[0].Scaling, now.Clusters[0].Nodegroups[0].Scaling);
        Assert.Equal(was.Notices, now.Notices);
        Assert.Equal(was.Volumes, now.Volumes);
        var cordoned = Assert.Single(now.Instances, n => n.Cordoned);
        Assert.Equal(["payments"], cordoned.WorkloadNamespaces);
        var role = back.World.FindAccount(Account)!.FindRole(SimulatedCloud.DefaultRoleName)!;
        Assert.True(role.AllowedActions.SetEquals([CloudActions.DescribeInstances, CloudActions.RunInstances]));
        Assert.Equal(snapshot.Sessions, back.Sessions);
        var launch = Assert.Single(back.Launches).Value;
        Assert.Equal(Assert.Single(snapshot.Launches).Value.InstanceIds, launch.InstanceIds);
        Assert.Equal("replacement", launch.Request.Tags[Ec2Instance.ClusterNameTag]);
    }

    [Fact]
    public async Task Serialize_IssuedSession_HoldsNoSecret()
    {
        var (snapshot, session) = await BusySnapshotAsync();

        Assert.DoesNotContain(session.Credentials.SecretAccessKey, SimulatedWorldJson.Serialize(snapshot), StringComparison.Ordinal);
    }

    private static SimulatedRegion RegionOf(SimulatedWorldSnapshot snapshot) => snapshot.World.FindAccount(Account)!.FindRegion(Region)!;

    /// <summary>The demo world after every kind of change: a role, a session, a launch, an interruption, a volume, a cordoned node.</summary>
    private static async Task<(SimulatedWorldSnapshot Snapshot, CloudSession Session)> BusySnapshotAsync()
    {
        var clock = new TestClock();
        var store = new InMemorySimulatedWorldStore(SimulatedWorld.Demo(7, clock.GetUtcNow()));
        var cloud = new SimulatedCloud(store, clock);
        var arn = cloud.DeployCustomerStack(Account, SimulatedTenant.ExternalId, allowedActions: [CloudActions.DescribeInstances, CloudActions.RunInstances]);
        var session = await cloud.AssumeRoleAsync(new RoleRequest(arn.ToString(), SimulatedTenant.ExternalId, "discovery"));
        await cloud.Instances.RunInstancesAsync(session, Region, new LaunchRequest("plan-1-step-1", "c5.xlarge", "us-east-1b", InstanceLifecycle.Spot, 1,
            new Dictionary<string, string> { [Ec2Instance.ClusterNameTag] = "replacement" }));
        var spot = cloud.World.FindAccount(Account)!.FindRegion(Region)!.Instances.First(n => n.Instance.Lifecycle == InstanceLifecycle.Spot);
        cloud.InterruptSpotInstance(Account, Region, spot.Instance.InstanceId);
        cloud.Update(world => world.UpdateRegion(Account, Region, r =>
        {
            var node = r.Instances.First(n => n.Instance.Lifecycle == InstanceLifecycle.OnDemand);
            return r.WithInstance(node with { Cordoned = true, Namespaces = ["payments"] }) with
            {
                Volumes = [new SimulatedVolume("vol-0123456789abcdef0", node.Instance.AvailabilityZone,
                    new VolumeAttachment("vol-0123456789abcdef0", node.Instance.InstanceId, "/dev/xvdf", VolumeAttachmentState.Attached))],
            };
        }));
        return (await store.ReadAsync(CancellationToken.None), session);
    }
}
