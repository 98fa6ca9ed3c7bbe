using Microsoft.Extensions.DependencyInjection;
using SpotOptimizer.Cloud;
using SpotOptimizer.Cloud.Simulation;
using SpotOptimizer.Grains.Execution;
using SpotOptimizer.Grains.Interfaces.Accounts;
using SpotOptimizer.Grains.Interfaces.Clusters;
using SpotOptimizer.Grains.Interfaces.Optimization;
using SpotOptimizer.Grains.Market;
using SpotOptimizer.Grains.Optimization;
using SpotOptimizer.Tenancy;
using SpotOptimizer.Testing;

namespace SpotOptimizer.Grains.Tests.Optimization;

/// <summary>
/// A restart in the middle of a replacement: the new node is launched, the silo stops while it boots. After the
/// restart the cluster finds the job's lease expired, wakes the job, and the job finishes what it started — the
/// launch is replayed from its idempotency key, never sent twice — instead of a second job acting on the same nodes.
/// </summary>
public sealed class JobResumeTests : IAsyncLifetime
{
    private readonly ManualTimeProvider _clock = new(new DateTimeOffset(2026, 11, 2, 10, 0, 0, TimeSpan.Zero));
    private readonly StorageKind _storage = new StorageKind.Sqlite();
    private SpotOptimizer.Silo.Storage.SiloStorage _database = null!;
    private SimulatedCloud _cloud = null!;

    public async Task InitializeAsync()
    {
        _database = await _storage.CreateAsync();
        // Nodes boot for an hour on a clock the test never advances: the first silo's job waits in wait_ready.
        _cloud = new SimulatedCloud(SimulatedWorld.Demo(7, _clock.GetUtcNow()), _clock, new SimulatedCloudOptions { BootTime = TimeSpan.FromHours(1) });
    }

    public async Task DisposeAsync() => await _storage.DisposeAsync();

    private Task<TestSilo> StartAsync(TimeSpan jobTimeout, TimeSpan? shutdownTimeout = null) =>
        TestSilo.StartAsync(_database, _clock,
            services => services.Configure<Microsoft.Extensions.Hosting.HostOptions>(o => o.ShutdownTimeout = shutdownTimeout ?? TimeSpan.FromSeconds(3)).AddSingleton(_cloud).AddSingleton<ICloudProvider>(_cloud).AddGrainServices().AddSimulatedMarketFeed()
                .Configure<ExecutorOptions>(o => o.ReadyPoll = TimeSpan.FromMinutes(1))
                .Configure<OptimizerOptions>(o =>
                {
                    o.DisruptionBudgetPercent = 1; // one replacement per run
                    o.FirstRun = o.Period = TimeSpan.FromHours(12);
                    o.JobTimeout = jobTimeout;
                }));

    [Fact]
    public async Task JobCutOffWhileItsNewNodeBoots_ResumesAfterRestart_WithoutLaunchingAgain()
    {
        string organizationId, clusterId, jobId;
        await using (var first = await StartAsync(TimeSpan.FromMinutes(30)))
        {
            var demo = await DemoCluster.LinkAsync(first, connect: true);
            (organizationId, clusterId) = (demo.OrganizationId, demo.Cluster.ClusterId);
            var started = await first.Grains.GetGrain<IClusterGrain>(clusterId).StartOptimization(organizationId, "user:test", JobTriggers.Manual);
            jobId = started!.Started!.JobId;
            await Eventually.Wait(() => first.Grains.GetGrain<IOptimizationJobGrain>(jobId).Get(organizationId),
                j => j!.Actions.Any(a => a.Step == ExecutorSteps.LaunchSpot), what: "the launch");
            await first.StopAsync();
        }

        var launched = _cloud.Calls.Where(c => c.Operation == CloudActions.RunInstances).ToList();
        var instance = Assert.Single(_cloud.World.FindAccount(SimulatedWorld.DemoAccountId)!.FindRegion("us-east-1")!.Instances,
            n => n.Instance.Tags.TryGetValue(OptimizerNodes.JobTag, out var job) && job == jobId);
        // It finished booting while the platform was down.
        _cloud.AddInstance(SimulatedWorld.DemoAccountId, "us-east-1", instance with { Instance = instance.Instance with { State = InstanceState.Running } });

        await using var second = await StartAsync(TimeSpan.Zero);
        var again = await second.Grains.GetGrain<IClusterGrain>(clusterId).StartOptimization(organizationId, "user:test", JobTriggers.Manual);

        Assert.Equal((jobId, true), (again!.Started!.JobId, again.Started.AlreadyRunning));
        var job = await Eventually.Wait(() => second.Grains.GetGrain<IOptimizationJobGrain>(jobId).Get(organizationId),
            j => JobStatus.IsFinished(j!.Status), what: "the resumed job to finish");
        Assert.Equal(JobStatus.Succeeded, job!.Status);
        var replacement = Assert.Single(job.Plan!.Replacements);
        Assert.Equal((ReplacementOutcomes.Replaced, instance.Instance.InstanceId), (replacement.Outcome, replacement.NewInstanceId));
        Assert.Contains(job.Actions, a => a.Step == ExecutorSteps.TerminateNode && a.Result == ExecutorResults.Ok);
        Assert.Equal(launched.Count, _cloud.Calls.Count(c => c.Operation == CloudActions.RunInstances));
        var region = _cloud.World.FindAccount(SimulatedWorld.DemoAccountId)!.FindRegion("us-east-1")!;
        Assert.NotNull(region.Instances.Single(n => n.Instance.InstanceId == replacement.InstanceId).TerminatedAt);
        // The new node was launched from the replaced node's node group: its launch template, its subnets.
        var clusterName = region.Instances.Single(n => n.Instance.InstanceId == replacement.InstanceId).Instance.ClusterName!;
        var template = SimulatedNetwork.LaunchTemplateOf(SimulatedWorld.DemoAccountId,
            region.FindCluster(clusterName)!.FindNodegroup(Assert.IsType<string>(replacement.Nodegroup))!);
        Assert.Contains($"template={template.Id} ", Assert.Single(launched).Arguments, StringComparison.Ordinal);
        Assert.Contains($"{replacement.TargetZone}:{SimulatedNetwork.SubnetId(SimulatedWorld.DemoAccountId, replacement.TargetZone)}", launched[0].Arguments,
            StringComparison.Ordinal);
        // One replacement, one ledger entry, written once by the resumed job for the node it really replaced.
        var ledger = await second.Services.GetRequiredService<AuditQueries>().ListRecentAsync(organizationId, 200, default);
        var replaced = Assert.Single(ledger, e => e.Action == "node.replaced");
        Assert.Contains($"\"old_instance_id\":\"{replacement.InstanceId}\"", replaced.After, StringComparison.Ordinal);
        Assert.Contains($"\"new_instance_id\":\"{instance.Instance.InstanceId}\"", replaced.After, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HostStopsWhileTheNewNodeBoots_StopDoesNotWaitForTheBoot_JobResumesWhenItsClusterIsBack()
    {
        string organizationId, clusterId, jobId;
        // The host would wait for running work this long: far longer than the stop may take.
        await using (var first = await StartAsync(TimeSpan.FromMinutes(30), shutdownTimeout: TimeSpan.FromMinutes(10)))
        {
            var demo = await DemoCluster.LinkAsync(first, connect: true);
            (organizationId, clusterId) = (demo.OrganizationId, demo.Cluster.ClusterId);
            var started = await first.Grains.GetGrain<IClusterGrain>(clusterId).StartOptimization(organizationId, "user:test", JobTriggers.Manual);
            jobId = started!.Started!.JobId;
            await Eventually.Wait(() => first.Grains.GetGrain<IOptimizationJobGrain>(jobId).Get(organizationId),
                j => j!.Actions.Any(a => a.Step == ExecutorSteps.LaunchSpot), what: "the launch");
            // The node boots for an hour on a clock that stands still: only cancelling wait_ready lets the stop end soon.
            // Measured: the stop takes about 0.15 s; waiting on the boot it took about 30 s (the silo's own limit).
            await first.StopAsync().WaitAsync(TimeSpan.FromSeconds(15));
        }

        var launches = _cloud.Calls.Count(c => c.Operation == CloudActions.RunInstances);
        var region = _cloud.World.FindAccount(SimulatedWorld.DemoAccountId)!.FindRegion("us-east-1")!;
        var instance = Assert.Single(region.Instances, n => n.Instance.Tags.TryGetValue(OptimizerNodes.JobTag, out var job) && job == jobId);
        _cloud.AddInstance(SimulatedWorld.DemoAccountId, "us-east-1", instance with { Instance = instance.Instance with { State = InstanceState.Running } });

        // The lease (30 min) has not run out and nobody starts a job: the cluster coming back is enough.
        await using var second = await StartAsync(TimeSpan.FromMinutes(30));
        Assert.NotNull(await second.Grains.GetGrain<IClusterGrain>(clusterId).Get(organizationId));
        var resumed = await Eventually.Wait(() => second.Grains.GetGrain<IOptimizationJobGrain>(jobId).Get(organizationId),
            j => JobStatus.IsFinished(j!.Status), what: "the cut-off job to resume and finish");

        Assert.Equal(JobStatus.Succeeded, resumed!.Status);
        Assert.Equal(ReplacementOutcomes.Replaced, Assert.Single(resumed.Plan!.Replacements).Outcome);
        Assert.DoesNotContain(resumed.Actions, a => a.Result == ExecutorResults.Failed);
        Assert.Equal(launches, _cloud.Calls.Count(c => c.Operation == CloudActions.RunInstances));
        // Finished, it gave the cluster's running-job slot back: the next start is a new job.
        var next = await second.Grains.GetGrain<IClusterGrain>(clusterId).StartOptimization(organizationId, "user:test", JobTriggers.Manual);
        Assert.False(next!.Started!.AlreadyRunning);
    }
}
