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
/// Headroom kept by the optimize job: the cluster of <see cref="ConsolidationWorld"/> with every node full (one pod
/// requesting all that the DaemonSets leave) has no spare capacity; a headroom of 1,000m and 2 GiB fits one m5.large
/// (1,830m and 7,262 MiB after the DaemonSets), the cheapest type of the 2-4 vCPU m5 template: one Spot m5.large is
/// launched through the executor, tagged as ours. A dry run plans the same and launches nothing.
/// </summary>
public abstract class ConsolidationHeadroomTests(StorageKind storage) : IAsyncLifetime
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
    public async Task Optimize_FullClusterWithHeadroomPolicy_LaunchesOneSpotM5Large()
    {
        var (organizationId, clusterId) = await ConnectFullAsync(dryRun: false);

        var job = await OptimizeAsync(organizationId, clusterId);

        Assert.Equal(JobStatus.Succeeded, job.Status);
        var headroom = job.Plan!.Headroom!;
        Assert.Equal((1000L, 2048L, 0L, 0L, 1000L, 2048L, (string?)null),
            (headroom.RequiredCpuMillicores, headroom.RequiredMemoryMiB, headroom.SpareCpuMillicores, headroom.SpareMemoryMiB,
             headroom.DeficitCpuMillicores, headroom.DeficitMemoryMiB, headroom.Code));
        var launch = Assert.Single(headroom.Launches);
        Assert.Equal(("m5.large", "spot", HeadroomOutcomes.Launched), (launch.InstanceType, launch.Purchase, launch.Outcome));
        Assert.True(launch.Risk <= 0.35, $"risk {launch.Risk} within the balanced strategy's limit");
        Assert.Equal(Math.Round(launch.PricePerHour * 730, 2), headroom.MonthlyCost, 2);
        // Nothing can be consolidated while the headroom is short: every removal would eat into it.
        Assert.Empty(job.Plan.Consolidation!.Actions);

        var step = Assert.Single(job.Actions, a => a.Step == ExecutorSteps.LaunchSpot);
        Assert.Equal((ExecutorResults.Ok, launch.NewInstanceId), (step.Result, step.InstanceId));
        var region = _cloud.World.FindAccount(SimulatedWorld.DemoAccountId)!.FindRegion(Region)!;
        var launched = region.Instances.Single(n => n.Instance.InstanceId == launch.NewInstanceId).Instance;
        Assert.Equal(("m5.large", launch.Zone, InstanceLifecycle.Spot), (launched.InstanceType, launched.AvailabilityZone, launched.Lifecycle));
        Assert.True(OptimizerNodes.IsOurs(launched, ClusterName));
        Assert.Equal(("headroom", (string?)job.JobId), (launched.Tags[OptimizerNodes.ManagedTag], launched.Tags.GetValueOrDefault(OptimizerNodes.JobTag)));
        // It belongs in "general", the cluster's one node group, whose template EKS made: read from its Auto Scaling group.
        Assert.Equal("general", launched.Tags[OptimizerNodes.NodegroupTag]);
        var template = SimulatedNetwork.LaunchTemplate(SimulatedWorld.DemoAccountId, ClusterName, "general");
        var subnets = string.Join(',', SimulatedNetwork.Subnets(SimulatedWorld.DemoAccountId, region).Select(s => $"{s.AvailabilityZone}:{s.SubnetId}"));
        Assert.Contains($"template={template.Id} subnets={subnets} ", Assert.Single(_cloud.Calls, c => c.Operation == CloudActions.RunInstances).Arguments,
            StringComparison.Ordinal);
        Assert.Contains(_cloud.Calls, c => c.Operation == CloudActions.DescribeAutoScalingGroups);

        var ledger = await LedgerAsync(organizationId);
        Assert.Equal(1, Details(ledger, "optimization.planned").GetProperty("headroom_launches").GetInt32());
        var completed = Details(ledger, "optimization.completed");
        Assert.Equal((1, 0), (completed.GetProperty("headroom_launched").GetInt32(), completed.GetProperty("headroom_failed").GetInt32()));

        // The next run, before the agent reports the new node: it counts as joining, empty, and nothing is launched again.
        var again = await OptimizeAsync(organizationId, clusterId);
        Assert.Empty(again.Plan!.Headroom!.Launches);
        Assert.Equal((1830L, 0L), (again.Plan.Headroom.SpareCpuMillicores, again.Plan.Headroom.DeficitCpuMillicores));
        Assert.DoesNotContain(again.Actions, a => a.Step == ExecutorSteps.LaunchSpot);
    }

    [SkippableFact]
    public async Task Optimize_DryRun_PlansTheHeadroomLaunchButLaunchesNothing()
    {
        var (organizationId, clusterId) = await ConnectFullAsync(dryRun: true);
        var before = _cloud.World;

        var job = await OptimizeAsync(organizationId, clusterId);

        Assert.Same(before, _cloud.World);
        var launch = Assert.Single(job.Plan!.Headroom!.Launches);
        Assert.Equal(("m5.large", HeadroomOutcomes.DryRun, (string?)null), (launch.InstanceType, launch.Outcome, launch.NewInstanceId));
        Assert.Equal(ExecutorResults.DryRun, Assert.Single(job.Actions, a => a.Step == ExecutorSteps.LaunchSpot).Result);
        // The launch is only validated (EC2's own DryRun), as every dry-run step is.
        Assert.All(_cloud.Calls.Where(c => c.Operation == CloudActions.RunInstances), c => Assert.Contains("dryRun=True", c.Arguments, StringComparison.Ordinal));
        Assert.Equal(0, Details(await LedgerAsync(organizationId), "optimization.completed").GetProperty("headroom_launched").GetInt32());
    }

    /// <summary>Every node of the world full, and a headroom policy of 1,000m / 2,048 MiB.</summary>
    private async Task<(string, string)> ConnectFullAsync(bool dryRun)
    {
        var now = _clock.GetUtcNow();
        var world = Inventory(now);
        var full = world with
        {
            Pods = [.. world.Nodes.Select((n, i) => new InventoryPod($"fill-{i}", "default", "fill", "Deployment", n.Name,
                n.Allocatable.CpuMillicores - world.DaemonSetOverhead.CpuMillicores, n.Allocatable.MemoryMiB - world.DaemonSetOverhead.MemoryMiB, null, null, 0, false))],
            Workloads = [new InventoryWorkload("default", "fill", "Deployment", world.Nodes.Count)],
        };
        var (organizationId, clusterId) = await ConnectAsync(_silo, now, dryRun, inventory: full);
        var policy = await _silo.Grains.GetGrain<IClusterGrain>(clusterId).UpdatePolicy(organizationId, "user:test", new PolicyPatch(Headroom: new HeadroomPolicy(1000, 2048, 0)));
        Assert.Null(policy!.Error);
        return (organizationId, clusterId);
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

public sealed class SqliteConsolidationHeadroomTests() : ConsolidationHeadroomTests(new StorageKind.Sqlite());

public sealed class PostgresConsolidationHeadroomTests() : ConsolidationHeadroomTests(new StorageKind.Postgres());
