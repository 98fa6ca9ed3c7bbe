using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SpotOptimizer.Cloud;
using SpotOptimizer.Cloud.Simulation;
using SpotOptimizer.Grains.Execution;
using SpotOptimizer.Grains.Interfaces.Clusters;
using SpotOptimizer.Grains.Interfaces.Optimization;
using SpotOptimizer.Grains.Optimization;
using SpotOptimizer.Tenancy;
using SpotOptimizer.Testing;
using static SpotOptimizer.Grains.Tests.Optimization.ConsolidationWorld;

namespace SpotOptimizer.Grains.Tests.Optimization;

/// <summary>
/// MOD-PACK-01's migration plan run by the optimize job on the cluster of <see cref="ConsolidationWorld"/>: the
/// empty node we launched is terminated, the half-empty node drained and terminated (its node group shrunk), the
/// do-not-disrupt node never touched; every step audited; a dry run changes nothing. Spot replacement is kept out
/// of the way (every On-Demand node is the stable base; our Spot node is inside the churn window).
/// </summary>
public abstract class ConsolidationJobTests(StorageKind storage) : IAsyncLifetime
{
    private readonly ManualTimeProvider _clock = new(new DateTimeOffset(2026, 11, 2, 10, 0, 0, TimeSpan.Zero));
    private SimulatedCloud _cloud = null!;
    private TestSilo _silo = null!;

    public async Task InitializeAsync()
    {
        _cloud = new SimulatedCloud(Build(_clock.GetUtcNow()), _clock, new SimulatedCloudOptions { BootTime = TimeSpan.Zero });
        _silo = await TestSilo.StartAsync(await storage.CreateAsync(), _clock,
            services => services.AddSingleton(_cloud).AddSingleton<ICloudProvider>(_cloud).AddGrainServices().AddSimulatedMarketFeed()
                .Configure<OptimizerOptions>(o =>
                {
                    o.MinOnDemandNodes = 10;
                    o.FirstRun = o.Period = TimeSpan.FromHours(12);
                }));
    }

    public async Task DisposeAsync()
    {
        await _silo.DisposeAsync();
        await storage.DisposeAsync();
    }

    [SkippableFact]
    public async Task Optimize_DeletesOurEmptyNode_DrainsAndTerminatesTheHalfEmptyOne_LeavesThePinnedNodeAlone()
    {
        var (organizationId, clusterId) = await ConnectAsync(_silo, _clock.GetUtcNow(), dryRun: false);

        var job = await OptimizeAsync(organizationId, clusterId);

        Assert.Equal(JobStatus.Succeeded, job.Status);
        var packing = job.Plan!.Consolidation!;
        Assert.Equal([("delete_empty", Ours), ("single_node", Small)], packing.Actions.Select(a => (a.Kind, Assert.Single(a.Nodes).InstanceId)));
        Assert.All(packing.Actions, a => Assert.Equal(ConsolidationOutcomes.Consolidated, a.Outcome));
        // The node group (min 1) has two nodes: only one may go, the less loaded ip-small.
        Assert.Equal([(Pinned, "do_not_disrupt"), (Big, "nodegroup_min_size")], packing.Skipped.Select(s => (s.InstanceId, s.Code)));
        Assert.Equal(["cordon", "drain", "terminate"], packing.Actions[1].Steps.Select(s => s.Kind));

        var steps = job.Actions.Select(a => (a.Step, a.Result, a.InstanceId)).ToList();
        Assert.Equal(
        [
            (ExecutorSteps.DrainNode, ExecutorResults.Ok, Ours), (ExecutorSteps.TerminateNode, ExecutorResults.Ok, Ours),
            (ExecutorSteps.DrainNode, ExecutorResults.Ok, Small), (ExecutorSteps.TerminateNode, ExecutorResults.Ok, Small),
            (ExecutorSteps.ResizeNodegroup, ExecutorResults.Ok, null),
        ], steps);
        var region = _cloud.World.FindAccount(SimulatedWorld.DemoAccountId)!.FindRegion(Region)!;
        Assert.NotNull(region.Instances.Single(n => n.Instance.InstanceId == Ours).TerminatedAt);
        Assert.NotNull(region.Instances.Single(n => n.Instance.InstanceId == Small).TerminatedAt);
        Assert.Null(region.Instances.Single(n => n.Instance.InstanceId == Big).TerminatedAt);
        // Its desired size shrinks with it; its minimum stays.
        Assert.Equal((1, 1), (region.FindCluster(ClusterName)!.FindNodegroup("general")!.Scaling.DesiredSize, region.FindCluster(ClusterName)!.FindNodegroup("general")!.Scaling.MinSize));
        var pinned = region.Instances.Single(n => n.Instance.InstanceId == Pinned);
        Assert.Equal((false, (DateTimeOffset?)null), (pinned.Cordoned, pinned.TerminatedAt));
        Assert.DoesNotContain(_cloud.Calls, c => c.Arguments.Contains(Pinned, StringComparison.Ordinal));

        var ledger = await LedgerAsync(organizationId);
        Assert.Equal(2, ledger.Count(e => e.Action == "executor.terminate_node"));
        Assert.Equal(2, ledger.Count(e => e.Action == "executor.drain_node"));
        var planned = Details(ledger, "optimization.planned");
        Assert.Equal(2, planned.GetProperty("consolidations").GetInt32());
        Assert.Equal(1, planned.GetProperty("consolidation_skipped").GetProperty("do_not_disrupt").GetInt32());
        var completed = Details(ledger, "optimization.completed");
        Assert.Equal((2, 2, false), (completed.GetProperty("consolidated").GetInt32(), completed.GetProperty("nodes_removed").GetInt32(), completed.GetProperty("dry_run").GetBoolean()));
        Assert.Equal(packing.MonthlySaving, completed.GetProperty("monthly_saving").GetDouble(), 2);
        Assert.True(packing.MonthlySaving > 0.096 * 730);
        // What the KPIs' realised savings read: one entry per action that removed nodes, at the plan's prices.
        var consolidated = ledger.Where(e => e.Action == "nodes.consolidated").Select(e => JsonDocument.Parse(e.After!).RootElement).ToList();
        Assert.Equal(
            packing.Actions.Select(a => (a.Nodes[0].InstanceId, a.Nodes[0].PricePerHour)).Order(),
            consolidated.Select(d => Assert.Single(d.GetProperty("removed").EnumerateArray().ToList()))
                .Select(n => (n.GetProperty("instance_id").GetString()!, n.GetProperty("price_per_hour").GetDouble())).Order());
    }

    [SkippableFact]
    public async Task Optimize_ClusterInDryRun_PlansTheSameButChangesNothing()
    {
        var (organizationId, clusterId) = await ConnectAsync(_silo, _clock.GetUtcNow(), dryRun: true);
        var before = _cloud.World;

        var job = await OptimizeAsync(organizationId, clusterId);

        Assert.True(job.DryRun);
        Assert.Same(before, _cloud.World);
        var packing = job.Plan!.Consolidation!;
        Assert.Equal([Ours, Small], packing.Actions.SelectMany(a => a.Nodes).Select(n => n.InstanceId));
        Assert.All(packing.Actions, a => Assert.Equal(ConsolidationOutcomes.DryRun, a.Outcome));
        Assert.All(job.Actions, a => Assert.Equal(ExecutorResults.DryRun, a.Result));
        Assert.Contains(job.Actions, a => a.Step == ExecutorSteps.TerminateNode && a.InstanceId == Small);
        Assert.Contains(packing.Skipped, s => s is { InstanceId: Pinned, Code: "do_not_disrupt" });
        var ledger = await LedgerAsync(organizationId);
        Assert.All(ledger.Where(e => e.Action.StartsWith("executor.", StringComparison.Ordinal)),
            e => Assert.True(JsonDocument.Parse(e.After!).RootElement.GetProperty("dry_run").GetBoolean()));
        Assert.True(Details(ledger, "optimization.completed").GetProperty("dry_run").GetBoolean());
        Assert.DoesNotContain(ledger, e => e.Action == "nodes.consolidated");
    }

    [SkippableFact]
    public async Task Optimize_NodeCoveredByReservedInstance_StaysAndTakesNoAction()
    {
        var (organizationId, clusterId) = await ConnectAsync(_silo, _clock.GetUtcNow(), dryRun: false);
        var now = _clock.GetUtcNow();
        // A zonal RI for one m5.large in us-east-1a: it pays for ip-small (ip-ours there is Spot).
        await _silo.Services.GetRequiredService<CommitmentStore>().DeclareAsync(organizationId, new CommitmentDraft(CommitmentKinds.ReservedInstance, "m5.large", null,
            Region, "us-east-1a", 1, 0.06, null, 0, now.AddDays(-1), now.AddYears(1)), "user:test", CancellationToken.None);

        var job = await OptimizeAsync(organizationId, clusterId);

        var packing = job.Plan!.Consolidation!;
        Assert.Equal([("delete_empty", Ours)], packing.Actions.Select(a => (a.Kind, Assert.Single(a.Nodes).InstanceId)));
        // With ip-small kept, ip-big is the group's one removable node: the packer itself finds no place for its pods.
        Assert.Equal([(Pinned, "do_not_disrupt"), (Small, "covered_by_commitment"), (Big, "no_fit")], packing.Skipped.Select(s => (s.InstanceId, s.Code)));
        Assert.DoesNotContain(job.Actions, a => a.InstanceId == Small);
        var region = _cloud.World.FindAccount(SimulatedWorld.DemoAccountId)!.FindRegion(Region)!;
        Assert.Null(region.Instances.Single(n => n.Instance.InstanceId == Small).TerminatedAt);
    }

    private async Task<JobView> OptimizeAsync(string organizationId, string clusterId)
    {
        var jobId = (await _silo.Grains.GetGrain<IClusterGrain>(clusterId).StartOptimization(organizationId, "user:test", JobTriggers.Manual))!.Started!.JobId;
        return (await Eventually.Wait(() => _silo.Grains.GetGrain<IOptimizationJobGrain>(jobId).Get(organizationId), j => JobStatus.IsFinished(j!.Status), what: "the job"))!;
    }

    private Task<IReadOnlyList<LedgerEntry>> LedgerAsync(string organizationId) =>
        _silo.Services.GetRequiredService<AuditQueries>().ListRecentAsync(organizationId, 200, default);

    private static JsonElement Details(IReadOnlyList<LedgerEntry> ledger, string action) =>
        JsonDocument.Parse(Assert.Single(ledger, e => e.Action == action).After!).RootElement;
}

public sealed class SqliteConsolidationJobTests() : ConsolidationJobTests(new StorageKind.Sqlite());

public sealed class PostgresConsolidationJobTests() : ConsolidationJobTests(new StorageKind.Postgres());
