using Microsoft.Extensions.DependencyInjection;
using SpotOptimizer.Cloud;
using SpotOptimizer.Cloud.Simulation;
using SpotOptimizer.Grains.Execution;
using SpotOptimizer.Grains.Interfaces.Clusters;
using SpotOptimizer.Grains.Interfaces.Optimization;
using SpotOptimizer.Grains.Optimization;
using SpotOptimizer.Testing;
using static SpotOptimizer.Grains.Tests.Optimization.ConsolidationWorld;

namespace SpotOptimizer.Grains.Tests.Optimization;

/// <summary>
/// A restart in the middle of a consolidation: with one 500m pod on ip-big, ip-big and ip-small together go for one new
/// m5.large (multi-node). The silo stops while that node boots; after the restart the job resumes from its persisted
/// plan: the empty node's steps and the launch replay from their keys, nothing is sent twice, the rest runs.
/// </summary>
public abstract class ConsolidationResumeTests(StorageKind storage) : IAsyncLifetime
{
    private readonly ManualTimeProvider _clock = new(new DateTimeOffset(2026, 11, 2, 10, 0, 0, TimeSpan.Zero));
    private SpotOptimizer.Silo.Storage.SiloStorage _database = null!;
    private SimulatedCloud _cloud = null!;

    public async Task InitializeAsync()
    {
        _database = await storage.CreateAsync();
        // Nodes boot for an hour on a clock the test never advances: the first silo's job waits in wait_ready.
        // The node group may go down to 0, so both of its nodes may be consolidated.
        _cloud = new SimulatedCloud(Build(_clock.GetUtcNow(), nodegroupMinSize: 0), _clock, new SimulatedCloudOptions { BootTime = TimeSpan.FromHours(1) });
    }

    public async Task DisposeAsync() => await storage.DisposeAsync();

    private Task<TestSilo> StartAsync(TimeSpan jobTimeout) =>
        TestSilo.StartAsync(_database, _clock,
            services => services.Configure<Microsoft.Extensions.Hosting.HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(3))
                .AddSingleton(_cloud).AddSingleton<ICloudProvider>(_cloud).AddGrainServices().AddSimulatedMarketFeed()
                .Configure<ExecutorOptions>(o => o.ReadyPoll = TimeSpan.FromMinutes(1))
                .Configure<OptimizerOptions>(o =>
                {
                    o.MinOnDemandNodes = 10;
                    o.FirstRun = o.Period = TimeSpan.FromHours(12);
                    o.JobTimeout = jobTimeout;
                }));

    [SkippableFact]
    public async Task JobCutOffWhileTheConsolidationsNodeBoots_ResumesAfterRestart_WithoutRepeatingAStep()
    {
        string organizationId, clusterId, jobId, token;
        await using (var first = await StartAsync(TimeSpan.FromMinutes(30)))
        {
            (organizationId, clusterId, token) = await ConnectWithTokenAsync(first, _clock.GetUtcNow(), dryRun: false, batch: [BatchPod(0, 500)]);
            jobId = (await first.Grains.GetGrain<IClusterGrain>(clusterId).StartOptimization(organizationId, "user:test", JobTriggers.Manual))!.Started!.JobId;
            var started = await Eventually.Wait(() => first.Grains.GetGrain<IOptimizationJobGrain>(jobId).Get(organizationId),
                j => j!.Actions.Any(a => a.Step == ExecutorSteps.LaunchOnDemand), what: "the launch");
            var multi = started!.Plan!.Consolidation!.Actions[1];
            Assert.Equal(("multi_node", "m5.large"), (multi.Kind, multi.Replacement!.InstanceType));
            Assert.Equal([Big, Small], multi.Nodes.Select(n => n.InstanceId));
            await first.StopAsync();
        }

        var sent = _cloud.Calls.Count(c => c.Operation is CloudActions.RunInstances or CloudActions.TerminateInstances);
        var region = _cloud.World.FindAccount(SimulatedWorld.DemoAccountId)!.FindRegion(Region)!;
        var launched = Assert.Single(region.Instances, n => n.Instance.Tags.TryGetValue(OptimizerNodes.JobTag, out var job) && job == jobId);
        // Launched from the packed nodes' group "general": the template EKS made for it (its Auto Scaling group's) and its subnets.
        var template = SimulatedNetwork.LaunchTemplate(SimulatedWorld.DemoAccountId, ClusterName, "general");
        var subnet = $"{launched.Instance.AvailabilityZone}:{SimulatedNetwork.SubnetId(SimulatedWorld.DemoAccountId, launched.Instance.AvailabilityZone)}";
        var launch = Assert.Single(_cloud.Calls, c => c.Operation == CloudActions.RunInstances);
        Assert.Contains($"template={template.Id} ", launch.Arguments, StringComparison.Ordinal);
        Assert.Contains(subnet, launch.Arguments, StringComparison.Ordinal);
        Assert.Equal("general", launched.Instance.Tags[OptimizerNodes.NodegroupTag]);
        // It finished booting while the platform was down.
        _cloud.AddInstance(SimulatedWorld.DemoAccountId, Region, launched with { Instance = launched.Instance with { State = InstanceState.Running } });

        await using var second = await StartAsync(TimeSpan.Zero);
        // The agent lists the booted node as Ready, so the resumed wait_ready finds it joined.
        var joined = WithJoined(Inventory(_clock.GetUtcNow(), [BatchPod(0, 500)]), "ip-new", launched.Instance.InstanceId, "m5.large",
            launched.Instance.AvailabilityZone, _clock.GetUtcNow());
        Assert.NotNull(await second.Grains.GetGrain<IClusterGrain>(clusterId).ReportInventory(new AgentInventoryReport(AgentTokens.HashOf(token), "test/1", joined)));
        var again = await second.Grains.GetGrain<IClusterGrain>(clusterId).StartOptimization(organizationId, "user:test", JobTriggers.Manual);

        Assert.Equal((jobId, true), (again!.Started!.JobId, again.Started.AlreadyRunning));
        var done = await Eventually.Wait(() => second.Grains.GetGrain<IOptimizationJobGrain>(jobId).Get(organizationId),
            j => JobStatus.IsFinished(j!.Status), what: "the resumed job to finish");
        Assert.Equal(JobStatus.Succeeded, done!.Status);
        Assert.Equal([ConsolidationOutcomes.Consolidated, ConsolidationOutcomes.Consolidated], done.Plan!.Consolidation!.Actions.Select(a => a.Outcome));
        Assert.Equal(launched.Instance.InstanceId, done.Plan.Consolidation.Actions[1].NewInstanceId);
        Assert.Equal(1, _cloud.Calls.Count(c => c.Operation == CloudActions.RunInstances));
        // Resumed: the two terminations of big and small are new; nothing before the cut-off was sent again.
        Assert.Equal(sent + 2, _cloud.Calls.Count(c => c.Operation is CloudActions.RunInstances or CloudActions.TerminateInstances));
        Assert.Contains(done.Actions, a => a.Step == ExecutorSteps.LaunchOnDemand && a.Result == ExecutorResults.Replayed);
        var world = _cloud.World.FindAccount(SimulatedWorld.DemoAccountId)!.FindRegion(Region)!;
        Assert.All([Ours, Small, Big], id => Assert.NotNull(world.Instances.Single(n => n.Instance.InstanceId == id).TerminatedAt));
        Assert.Null(world.Instances.Single(n => n.Instance.InstanceId == Pinned).TerminatedAt);
    }
}

public sealed class SqliteConsolidationResumeTests() : ConsolidationResumeTests(new StorageKind.Sqlite());

public sealed class PostgresConsolidationResumeTests() : ConsolidationResumeTests(new StorageKind.Postgres());
