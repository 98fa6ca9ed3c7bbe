using Microsoft.Extensions.DependencyInjection;
using SpotOptimizer.Cloud;
using SpotOptimizer.Cloud.Simulation;
using SpotOptimizer.Grains.Execution;
using SpotOptimizer.Grains.Interfaces.Clusters;
using SpotOptimizer.Grains.Interfaces.Optimization;
using SpotOptimizer.Grains.Market;
using SpotOptimizer.Grains.Optimization;
using SpotOptimizer.Testing;

namespace SpotOptimizer.Grains.Tests.Optimization;

/// <summary>
/// A replacement whose new node never becomes ready is rolled back: the node just launched is terminated, the old
/// node keeps its pods. When that terminate fails too, the replacement says failed, not rolled back, and names the
/// node that still runs.
/// </summary>
public sealed class ReplacementRollbackTests : IAsyncLifetime
{
    private readonly ManualTimeProvider _clock = new(new DateTimeOffset(2026, 11, 2, 10, 0, 0, TimeSpan.Zero));
    private readonly StorageKind _storage = new StorageKind.Sqlite();
    private SpotOptimizer.Silo.Storage.SiloStorage _database = null!;
    private SimulatedCloud _cloud = null!;
    private TestSilo _silo = null!;

    public async Task InitializeAsync()
    {
        _database = await _storage.CreateAsync();
        // New nodes boot for an hour on a clock that stands still, and the job waits for none: wait_ready times out at once.
        _cloud = new SimulatedCloud(SimulatedWorld.Demo(7, _clock.GetUtcNow()), _clock, new SimulatedCloudOptions { BootTime = TimeSpan.FromHours(1) });
        _silo = await TestSilo.StartAsync(_database, _clock,
            services => services.AddSingleton(_cloud).AddSingleton<ICloudProvider>(_cloud).AddGrainServices().AddSimulatedMarketFeed()
                .Configure<ExecutorOptions>(o => o.ReadyTimeout = TimeSpan.Zero)
                .Configure<OptimizerOptions>(o =>
                {
                    o.DisruptionBudgetPercent = 1; // one replacement per run
                    o.FirstRun = o.Period = TimeSpan.FromHours(12);
                }));
    }

    public async Task DisposeAsync()
    {
        await _silo.DisposeAsync();
        await _storage.DisposeAsync();
    }

    [Fact]
    public async Task NewNodeNeverReady_LaunchedNodeTerminated_OldNodeKept_RolledBack()
    {
        var (job, replacement) = await RunOneReplacementAsync();

        Assert.Equal(ReplacementOutcomes.RolledBack, replacement.Outcome);
        Assert.Contains(job.Actions, a => a.Step == ExecutorSteps.WaitReady && a.ErrorCode == CloudErrorCodes.Timeout);
        Assert.Contains(job.Actions, a => a.Step == ExecutorSteps.TerminateLaunched && a.Result == ExecutorResults.Ok);
        Assert.NotNull(Instance(replacement.NewInstanceId!).TerminatedAt);
        Assert.Null(Instance(replacement.InstanceId).TerminatedAt);
        Assert.DoesNotContain(job.Actions, a => a.Step is ExecutorSteps.DrainNode or ExecutorSteps.TerminateNode);
    }

    [Fact]
    public async Task RollbackCannotTerminateTheNewNode_ReplacementFailed_NewNodeNamedAndStillThere()
    {
        _cloud.InjectFault(CloudActions.TerminateInstances, new CloudException(CloudErrorCodes.Unavailable, "EC2 is briefly unavailable."));

        var (job, replacement) = await RunOneReplacementAsync();

        Assert.Equal(ReplacementOutcomes.Failed, replacement.Outcome);
        Assert.Contains(job.Actions, a => a.Step == ExecutorSteps.TerminateLaunched && a.Result == ExecutorResults.Failed);
        Assert.NotEqual(JobStatus.Succeeded, job.Status);
        var launched = Instance(Assert.IsType<string>(replacement.NewInstanceId));
        Assert.Null(launched.TerminatedAt);
        Assert.Null(Instance(replacement.InstanceId).TerminatedAt);
    }

    private async Task<(JobView Job, PlannedReplacementView Replacement)> RunOneReplacementAsync()
    {
        var demo = await DemoCluster.LinkAsync(_silo, connect: true);
        var started = await _silo.Grains.GetGrain<IClusterGrain>(demo.Cluster.ClusterId).StartOptimization(demo.OrganizationId, "user:test", JobTriggers.Manual);
        var job = await Eventually.Wait(() => _silo.Grains.GetGrain<IOptimizationJobGrain>(started!.Started!.JobId).Get(demo.OrganizationId),
            j => JobStatus.IsFinished(j!.Status), what: "the job");
        return (job!, Assert.Single(job!.Plan!.Replacements));
    }

    private SimulatedNode Instance(string instanceId) =>
        _cloud.World.FindAccount(SimulatedWorld.DemoAccountId)!.FindRegion("us-east-1")!.Instances.Single(n => n.Instance.InstanceId == instanceId);
}
