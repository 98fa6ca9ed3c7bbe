using SpotOptimizer.Cloud.Simulation;

namespace SpotOptimizer.Cloud.Tests.Simulation;

/// <summary>The simulator's pieces of the designed (not yet AWS-backed) concerns: launch, terminate, interruptions, scaling, prices.</summary>
public sealed class SimulatedLifecycleTests
{
    private const string Region = SimulatedTenant.Region;

    private static LaunchRequest Launch(string token, bool dryRun = false) => new(token, "c5.xlarge", "us-east-1b", InstanceLifecycle.Spot, 1,
        new Dictionary<string, string> { [Ec2Instance.ClusterNameTag] = "replacement" }, DryRun: dryRun);

    [Fact]
    public async Task RunInstances_SameClientTokenTwice_LaunchesOnce()
    {
        var tenant = await SimulatedTenant.StartAsync();

        var first = await tenant.Cloud.Instances.RunInstancesAsync(tenant.Session, Region, Launch("plan-17-step-2"));
        var again = await tenant.Cloud.Instances.RunInstancesAsync(tenant.Session, Region, Launch("plan-17-step-2"));

        var launched = Assert.Single(first.Instances);
        Assert.Equal((InstanceState.Pending, InstanceLifecycle.Spot), (launched.State, launched.Lifecycle));
        Assert.Equal(launched.InstanceId, Assert.Single(again.Instances).InstanceId);
        var all = await tenant.Cloud.Ec2.DescribeInstancesAsync(tenant.Session, Region);
        Assert.Single(all, i => i.ClusterName == "replacement");
    }

    [Fact]
    public async Task RunInstances_ClientTokenReusedWithOtherParameters_ThrowsInvalidRequest()
    {
        var tenant = await SimulatedTenant.StartAsync();
        await tenant.Cloud.Instances.RunInstancesAsync(tenant.Session, Region, Launch("plan-17-step-2"));

        var error = await Assert.ThrowsAsync<CloudException>(() =>
            tenant.Cloud.Instances.RunInstancesAsync(tenant.Session, Region, Launch("plan-17-step-2") with { InstanceType = "m5.large" }));

        Assert.Equal((CloudErrorCodes.InvalidRequest, "IdempotentParameterMismatch"), (error.Code, error.ProviderCode));
    }

    [Fact]
    public async Task RunInstances_DryRun_LaunchesNothing()
    {
        var tenant = await SimulatedTenant.StartAsync();
        var before = (await tenant.Cloud.Ec2.DescribeInstancesAsync(tenant.Session, Region)).Count;

        var result = await tenant.Cloud.Instances.RunInstancesAsync(tenant.Session, Region, Launch("dry", dryRun: true));

        Assert.True(result.DryRun);
        Assert.Empty(result.Instances);
        Assert.Equal(before, (await tenant.Cloud.Ec2.DescribeInstancesAsync(tenant.Session, Region)).Count);
    }

    [Fact]
    public async Task RunInstances_InjectedCapacityFault_ThrowsInsufficientCapacityNotRetryable()
    {
        var tenant = await SimulatedTenant.StartAsync();
        tenant.Cloud.InjectFault(CloudActions.RunInstances, CloudException.InsufficientCapacity());

        var error = await Assert.ThrowsAsync<CloudException>(() => tenant.Cloud.Instances.RunInstancesAsync(tenant.Session, Region, Launch("t1")));

        Assert.Equal((CloudErrorCodes.InsufficientCapacity, false), (error.Code, error.Retryable));
    }

    [Fact]
    public async Task Launch_ThenTime_PendingBecomesRunning()
    {
        var tenant = await SimulatedTenant.StartAsync();
        var id = (await tenant.Cloud.Instances.RunInstancesAsync(tenant.Session, Region, Launch("t1"))).Instances[0].InstanceId;

        tenant.Clock.Advance(TimeSpan.FromSeconds(45));

        Assert.Equal(InstanceState.Running, (await tenant.Cloud.Ec2.DescribeInstancesAsync(tenant.Session, Region)).Single(i => i.InstanceId == id).State);
    }

    [Fact]
    public async Task TerminateInstances_ThenTime_ShuttingDownTerminatedThenGone()
    {
        var tenant = await SimulatedTenant.StartAsync();
        var victim = (await tenant.Cloud.Ec2.DescribeInstancesAsync(tenant.Session, Region)).First(i => i.State == InstanceState.Running);

        var result = await tenant.Cloud.Instances.TerminateInstancesAsync(tenant.Session, Region, [victim.InstanceId], dryRun: false);

        Assert.Equal(new InstanceStateChange(victim.InstanceId, InstanceState.Running, InstanceState.ShuttingDown), Assert.Single(result.Changes));
        async Task<InstanceState?> StateAsync()
        {
            var session = await tenant.Cloud.AssumeRoleAsync(new RoleRequest(tenant.Session.Role.ToString(), SimulatedTenant.ExternalId, "discovery"));
            return (await tenant.Cloud.Ec2.DescribeInstancesAsync(session, Region)).SingleOrDefault(i => i.InstanceId == victim.InstanceId)?.State;
        }

        Assert.Equal(InstanceState.ShuttingDown, await StateAsync());
        tenant.Clock.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(InstanceState.Terminated, await StateAsync());
        tenant.Clock.Advance(TimeSpan.FromHours(1));
        Assert.Null(await StateAsync());
    }

    [Fact]
    public async Task TerminateInstances_DryRun_ChangesNothing()
    {
        var tenant = await SimulatedTenant.StartAsync();
        var victim = (await tenant.Cloud.Ec2.DescribeInstancesAsync(tenant.Session, Region)).First(i => i.State == InstanceState.Running);

        var result = await tenant.Cloud.Instances.TerminateInstancesAsync(tenant.Session, Region, [victim.InstanceId], dryRun: true);

        Assert.True(result.DryRun);
        Assert.Equal(InstanceState.Running, (await tenant.Cloud.Ec2.DescribeInstancesAsync(tenant.Session, Region)).Single(i => i.InstanceId == victim.InstanceId).State);
    }

    [Fact]
    public async Task InterruptSpotInstance_Notice_ThenTerminatedAfterTwoMinutes()
    {
        var tenant = await SimulatedTenant.StartAsync();
        var spot = (await tenant.Cloud.Ec2.DescribeInstancesAsync(tenant.Session, Region)).First(i => i.Lifecycle == InstanceLifecycle.Spot);
        var since = tenant.Clock.GetUtcNow();

        tenant.Cloud.InterruptSpotInstance(tenant.AccountId, Region, spot.InstanceId);

        var notice = Assert.Single(await tenant.Cloud.Instances.GetInterruptionNoticesAsync(tenant.Session, Region, since));
        Assert.Equal((spot.InstanceId, new SpotPool(spot.AvailabilityZone, spot.InstanceType), InterruptionKind.Interruption), (notice.InstanceId, notice.Pool, notice.Kind));
        Assert.Equal(since + SimulatedCloud.InterruptionWarning, notice.ActionTime);
        Assert.Equal(InstanceState.Running, (await tenant.Cloud.Ec2.DescribeInstancesAsync(tenant.Session, Region)).Single(i => i.InstanceId == spot.InstanceId).State);
        tenant.Clock.Advance(TimeSpan.FromMinutes(3));
        Assert.Equal(InstanceState.Terminated, (await tenant.Cloud.Ec2.DescribeInstancesAsync(tenant.Session, Region)).Single(i => i.InstanceId == spot.InstanceId).State);
    }

    [Fact]
    public async Task UpdateNodegroupScaling_ToZeroAndBack_NodesFollow()
    {
        var tenant = await SimulatedTenant.StartAsync();
        var cluster = (await tenant.ScanAsync()).Regions[0].Clusters[0];
        var nodegroup = cluster.Nodegroups[0];

        await tenant.Cloud.Eks.UpdateNodegroupScalingAsync(tenant.Session, Region, cluster.Cluster.Name, nodegroup.Name, new NodegroupScaling(0, nodegroup.Scaling.MaxSize, 0), dryRun: false);
        tenant.Clock.Advance(TimeSpan.FromMinutes(1));
        var asleep = (await tenant.ScanAsync()).Regions[0].Clusters[0];
        Assert.All(asleep.Nodes.Where(n => n.NodegroupName == nodegroup.Name), n => Assert.Equal(InstanceState.Terminated, n.State));
        Assert.Equal(0, asleep.Nodegroups[0].Scaling.DesiredSize);

        await tenant.Cloud.Eks.UpdateNodegroupScalingAsync(tenant.Session, Region, cluster.Cluster.Name, nodegroup.Name, nodegroup.Scaling, dryRun: false);
        tenant.Clock.Advance(TimeSpan.FromMinutes(1));
        var awake = (await tenant.ScanAsync()).Regions[0].Clusters[0];
        Assert.Equal(nodegroup.Scaling.DesiredSize, awake.Nodes.Count(n => n.NodegroupName == nodegroup.Name && n.State == InstanceState.Running));
    }

    [Fact]
    public async Task SpotPrices_SameSeed_DeterministicAndBelowOnDemand()
    {
        var tenant = await SimulatedTenant.StartAsync();
        var other = await SimulatedTenant.StartAsync();
        var query = new SpotPriceQuery(["m5.large", "c5.xlarge"], tenant.Clock.GetUtcNow().AddDays(-2), tenant.Clock.GetUtcNow());

        var history = await tenant.Cloud.SpotPriceHistoryAsync(tenant.AccountId, Region, query);
        var current = await tenant.Cloud.CurrentSpotPricesAsync(tenant.AccountId, Region, ["m5.large"]);

        Assert.Equal(history, await other.Cloud.SpotPriceHistoryAsync(other.AccountId, Region, query));
        Assert.Equal(4, current.Count);
        Assert.All(history, p => Assert.InRange(p.PricePerHour, 0.01m, InstanceCatalog.Get(p.InstanceType).OnDemandPrice * 0.95m));
        Assert.True(history.Select(p => p.PricePerHour).Distinct().Count() > 4, "prices move over two days");
        Assert.All(current, c => Assert.Contains(c, history));
    }
}
