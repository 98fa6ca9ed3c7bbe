using System.Text.Json;
using SpotOptimizer.Grains.Clusters;
using Orleans;
using Microsoft.Extensions.DependencyInjection;
using SpotOptimizer.Cloud;
using SpotOptimizer.Cloud.Simulation;
using SpotOptimizer.Grains.Execution;
using SpotOptimizer.Grains.Interfaces.Accounts;
using SpotOptimizer.Grains.Interfaces.Clusters;
using SpotOptimizer.Grains.Interfaces.Optimization;
using SpotOptimizer.Grains.Optimization;
using SpotOptimizer.Tenancy;
using SpotOptimizer.Testing;

namespace SpotOptimizer.Grains.Tests.Optimization;

/// <summary>
/// The optimizer's Spot nodes live outside the node groups; hibernation must still stop them with the groups and
/// bring the same capacity back when the cluster wakes.
/// </summary>
public sealed class HibernationOwnNodesTests : IAsyncLifetime
{
    private readonly ManualTimeProvider _clock = new(new DateTimeOffset(2026, 11, 2, 10, 0, 30, TimeSpan.Zero));
    private readonly StorageKind _storage = new StorageKind.Sqlite();
    private SimulatedCloud _cloud = null!;
    private TestSilo _silo = null!;

    public async Task InitializeAsync()
    {
        _cloud = new SimulatedCloud(SimulatedWorld.Demo(7, _clock.GetUtcNow()), _clock, new SimulatedCloudOptions { BootTime = TimeSpan.Zero });
        _silo = await TestSilo.StartAsync(await _storage.CreateAsync(), _clock,
            services => services.AddSingleton(_cloud).AddSingleton<ICloudProvider>(_cloud).AddGrainServices().AddSimulatedMarketFeed()
                .Configure<OptimizerOptions>(o =>
                {
                    o.DisruptionBudgetPercent = 100;
                    o.FirstRun = o.Period = TimeSpan.FromHours(12);
                }));
    }

    public async Task DisposeAsync()
    {
        await _silo.DisposeAsync();
        await _storage.DisposeAsync();
    }

    [Fact]
    public async Task Sleep_StopsTheOptimizersOwnNodes_Wake_BringsTheSameCapacityBack()
    {
        var (organizationId, _, (clusterId, name, _, _, _, _, _)) = await DemoCluster.LinkAsync(_silo, connect: true);
        var cluster = _silo.Grains.GetGrain<IClusterGrain>(clusterId);
        var jobId = (await cluster.StartOptimization(organizationId, "user:test", JobTriggers.Manual))!.Started!.JobId;
        await Eventually.Wait(() => _silo.Grains.GetGrain<IOptimizationJobGrain>(jobId).Get(organizationId), j => JobStatus.IsFinished(j!.Status), what: "the job");
        var before = OwnNodes(name);
        Assert.NotEmpty(before);
        // Each was launched from the node group of the node it replaced, and is tagged with it.
        Assert.All(before, n => Assert.NotNull(n.Tags.GetValueOrDefault(OptimizerNodes.NodegroupTag)));
        var launches = _cloud.Calls.Count(c => c.Operation == CloudActions.RunInstances);

        await cluster.ConfigureHibernation(organizationId, "user:test", new HibernationPatch(new int[168], "UTC", Prewarm: false));
        _clock.Advance(TimeSpan.FromMinutes(1));
        await cluster.TickAsync(ClusterGrain.HibernationReminder, _clock.GetUtcNow(), TimeSpan.FromMinutes(1));
        await Eventually.Wait(() => cluster.GetHibernation(organizationId), h => h!.Power == ClusterPower.Asleep, what: "sleep");

        Assert.Empty(OwnNodes(name));
        await cluster.ConfigureHibernation(organizationId, "user:test", new HibernationPatch(OverrideMinutes: 60));

        Assert.Equal(ClusterPower.Awake, (await cluster.GetHibernation(organizationId))!.Power);
        var after = OwnNodes(name);
        Assert.Equal(before.Select(Pool).Order(), after.Select(Pool).Order());
        Assert.Empty(after.Select(n => n.InstanceId).Intersect(before.Select(n => n.InstanceId)));
        Assert.All(after, n => Assert.Equal(InstanceLifecycle.Spot, n.Lifecycle));
        // Woken into the node groups they slept from: each group's template (custom, or EKS's on its Auto Scaling group) and its subnets.
        Assert.Equal(before.Select(Group).Order(), after.Select(Group).Order());
        var region = _cloud.World.FindAccount(SimulatedWorld.DemoAccountId)!.FindRegion("us-east-1")!;
        var woken = _cloud.Calls.Where(c => c.Operation == CloudActions.RunInstances).Skip(launches).ToList();
        var subnets = string.Join(',', SimulatedNetwork.Subnets(SimulatedWorld.DemoAccountId, region).Select(s => $"{s.AvailabilityZone}:{s.SubnetId}"));
        Assert.Equal(after.Select(n => SimulatedNetwork.LaunchTemplateOf(SimulatedWorld.DemoAccountId, region.FindCluster(name)!.FindNodegroup(Group(n))!))
                .Select(t => $"template={t.Id} subnets={subnets}").Order(),
            woken.Select(c => c.Arguments[c.Arguments.IndexOf("template=", StringComparison.Ordinal)..c.Arguments.IndexOf(" dryRun=", StringComparison.Ordinal)]).Order());
    }

    private static string Pool(Ec2Instance node) => $"{node.AvailabilityZone}/{node.InstanceType}";

    private static string Group(Ec2Instance node) => node.Tags[OptimizerNodes.NodegroupTag];

    [Fact]
    public void SleepingNode_SavedBeforeItsNodegroupWasRecorded_StillReads()
    {
        var old = JsonSerializer.Deserialize<SleepingNode>("""{"InstanceType":"m5.large","AvailabilityZone":"us-east-1a","Lifecycle":"spot"}""");

        Assert.Equal(new SleepingNode("m5.large", "us-east-1a", "spot"), old);
        Assert.Null(old!.Nodegroup);
    }

    private List<Ec2Instance> OwnNodes(string clusterName) =>
        [.. _cloud.World.FindAccount(SimulatedWorld.DemoAccountId)!.FindRegion("us-east-1")!.Instances
            .Where(n => n.TerminatedAt is null && OptimizerNodes.IsOurs(n.Instance, clusterName)).Select(n => n.Instance)];
}
