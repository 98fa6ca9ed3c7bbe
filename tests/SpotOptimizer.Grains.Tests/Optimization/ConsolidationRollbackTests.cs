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
/// ip-big and ip-small go for one new m5.large that never becomes ready: the action is rolled back (the new node
/// terminated, the packed nodes kept). When that terminate fails, the action reads failed, and the new node still runs.
/// </summary>
public sealed class ConsolidationRollbackTests : IAsyncLifetime
{
    private readonly ManualTimeProvider _clock = new(new DateTimeOffset(2026, 11, 2, 10, 0, 0, TimeSpan.Zero));
    private readonly StorageKind _storage = new StorageKind.Sqlite();
    private SimulatedCloud _cloud = null!;
    private TestSilo _silo = null!;

    public async Task InitializeAsync()
    {
        // New nodes boot for an hour on a clock that stands still, and the job waits for none: wait_ready times out at once.
        _cloud = new SimulatedCloud(Build(_clock.GetUtcNow(), nodegroupMinSize: 0), _clock, new SimulatedCloudOptions { BootTime = TimeSpan.FromHours(1) });
        _silo = await TestSilo.StartAsync(await _storage.CreateAsync(), _clock,
            services => services.AddSingleton(_cloud).AddSingleton<ICloudProvider>(_cloud).AddGrainServices().AddSimulatedMarketFeed()
                .Configure<ExecutorOptions>(o => o.ReadyTimeout = TimeSpan.Zero)
                .Configure<OptimizerOptions>(o =>
                {
                    o.MinOnDemandNodes = 10;
                    o.FirstRun = o.Period = TimeSpan.FromHours(12);
                }));
    }

    public async Task DisposeAsync()
    {
        await _silo.DisposeAsync();
        await _storage.DisposeAsync();
    }

    [Fact]
    public async Task NewNodeNeverReady_RolledBack_PackedNodesKept()
    {
        var (job, multi) = await ConsolidateAsync();

        Assert.Equal(ConsolidationOutcomes.RolledBack, multi.Outcome);
        Assert.NotNull(Instance(multi.NewInstanceId!).TerminatedAt);
        Assert.All([Big, Small], id => Assert.Null(Instance(id).TerminatedAt));
        Assert.Contains(job.Actions, a => a.Step == ExecutorSteps.TerminateLaunched && a.Result == ExecutorResults.Ok);
    }

    [Fact]
    public async Task RollbackCannotTerminateTheNewNode_ActionFailed_NewNodeStillRuns()
    {
        // The empty node's termination comes first and fails too: both terminations of this run are refused.
        _cloud.InjectFault(CloudActions.TerminateInstances, new CloudException(CloudErrorCodes.Unavailable, "EC2 is briefly unavailable."), times: 2);

        var (job, multi) = await ConsolidateAsync();

        Assert.Equal(ConsolidationOutcomes.Failed, multi.Outcome);
        Assert.Null(Instance(Assert.IsType<string>(multi.NewInstanceId)).TerminatedAt);
        Assert.Contains(job.Actions, a => a.Step == ExecutorSteps.TerminateLaunched && a.Result == ExecutorResults.Failed);
    }

    private async Task<(JobView Job, ConsolidationActionView Multi)> ConsolidateAsync()
    {
        var (organizationId, clusterId, _) = await ConnectWithTokenAsync(_silo, _clock.GetUtcNow(), dryRun: false, batch: [BatchPod(0, 500)]);
        var jobId = (await _silo.Grains.GetGrain<IClusterGrain>(clusterId).StartOptimization(organizationId, "user:test", JobTriggers.Manual))!.Started!.JobId;
        var job = await Eventually.Wait(() => _silo.Grains.GetGrain<IOptimizationJobGrain>(jobId).Get(organizationId),
            j => JobStatus.IsFinished(j!.Status), what: "the job");
        var multi = job!.Plan!.Consolidation!.Actions.Single(a => a.Kind == "multi_node");
        Assert.Equal([Big, Small], multi.Nodes.Select(n => n.InstanceId));
        return (job, multi);
    }

    private SimulatedNode Instance(string instanceId) =>
        _cloud.World.FindAccount(SimulatedWorld.DemoAccountId)!.FindRegion(Region)!.Instances.Single(n => n.Instance.InstanceId == instanceId);
}
