using Microsoft.Extensions.DependencyInjection;
using SpotOptimizer.Cloud;
using SpotOptimizer.Grains.Interfaces.Clusters;
using SpotOptimizer.Grains.Interfaces.Market;
using SpotOptimizer.Grains.Interfaces.Optimization;
using SpotOptimizer.Grains.Market;
using SpotOptimizer.Testing;

namespace SpotOptimizer.Grains.Tests.Market;

/// <summary>
/// Issue 11 item 7's test: one tenant flooding reports for 1,000 pools moves no other tenant's decisions. Tenant A's
/// claims reach the pool grains directly (as if past every check of the agent API and its allowance), for every pool of
/// the region's market and 922 more; tenant B's optimize plan, run before and after at the same instant in SAFE_MODE,
/// is the same, and the region's shared board is untouched. A's own decisions do avoid the pools it reported. The
/// control: under the old rule (one tenant's report is enough) the same flood does move B.
/// </summary>
public sealed class HiveMindFloodTests : IAsyncLifetime
{
    private const string Region = "us-east-1";
    private const int FloodedPools = 1_000;
    private static readonly string[] Zones = ["us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d", "us-east-1e", "us-east-1f"];
    private readonly ManualTimeProvider _clock = new(new DateTimeOffset(2026, 11, 2, 10, 0, 0, TimeSpan.Zero));
    private readonly StorageKind _storage = new StorageKind.Sqlite();
    private SpotOptimizer.Silo.Storage.SiloStorage _database = null!;

    public async Task InitializeAsync() => _database = await _storage.CreateAsync();

    public async Task DisposeAsync() => await _storage.DisposeAsync();

    [Fact]
    public async Task OneTenantFloodingReportsFor1000Pools_MovesNoOtherTenantsDecisions()
    {
        var (before, after, sharedBefore, sharedAfter, flooderFlags, proactive) = await FloodAsync(distinctTenantsToFlag: 2);

        Assert.Equal(sharedBefore, sharedAfter);
        // The flood's 1,000 own-board flags reached the pool index and moved none of B's clusters: no job started for B.
        Assert.Equal((FloodedPools, 0, 0), proactive);
        Assert.Equal(before.FlaggedPools, after.FlaggedPools);
        Assert.Equal(Decisions(before), Decisions(after));
        // The flood is not lost: the flooder's own decisions avoid every pool it reported.
        Assert.Equal(FloodedPools, flooderFlags);
    }

    [Fact]
    public async Task ATenantsOwnUnconfirmedClaim_MovesItsOwnNextDecision_AndNobodyElses()
    {
        await using var silo = await TestSilo.StartAsync(_database, _clock, services => services
            .AddSimulatedCloud(7, o => o.BootTime = TimeSpan.Zero).AddGrainServices().AddSimulatedMarketFeed()
            .Configure<SafetyOptions>(o => o.SafeMode = true));
        var b = await DemoCluster.LinkAsync(silo, connect: true);
        var before = await PlanAsync(silo, b);
        var target = before.Replacements.First(r => r.TargetPurchase == "spot");
        // B's plan speaks B's zone names; the hive mind keeps pools in the market's, matched by zone ID.
        var zoneId = Cloud.Simulation.SimulatedNetwork.ZoneId(Cloud.Simulation.SimulatedWorld.DemoAccountId, Region, target.TargetZone);
        var marketZones = await silo.Grains.GetGrain<IMarketGrain>(Region).GetZoneIds();
        var zone = marketZones.Count == 0 ? target.TargetZone : marketZones.Single(z => z.Value == zoneId).Key;

        var claim = await silo.Grains.GetGrain<ISpotPoolGrain>(SpotPoolKeys.For(Region, zone, target.TargetType))
            .ReportInterruption(new InterruptionReport("i-0b0000000000000001", InterruptionKinds.Interruption, _clock.GetUtcNow(), HiveReporters.For(b.OrganizationId),
                InterruptionSources.Agent));
        var after = await PlanAsync(silo, b);

        Assert.Equal((null, FlagReasons.OwnReport), (claim.FlaggedUntil, Assert.Single(await silo.Grains.FlagsForAsync(Region, b.OrganizationId)).Reason));
        Assert.Empty(await silo.Grains.GetGrain<IRiskBoardGrain>(Region).GetFlags());
        Assert.Equal(before.FlaggedPools + 1, after.FlaggedPools);
        Assert.DoesNotContain(after.Replacements, r => r.TargetZone == target.TargetZone && r.TargetType == target.TargetType);
        Assert.NotEmpty(after.Replacements);
    }

    [Fact]
    public async Task Control_UnderTheOldOneReportRule_TheSameFloodMovesTheOtherTenant()
    {
        var (before, after, _, sharedAfter, _, proactive) = await FloodAsync(distinctTenantsToFlag: 1);

        Assert.Equal(FloodedPools, sharedAfter.Count);
        // Flagged for everyone, the pools B runs Spot nodes in move B at once.
        Assert.Equal(FloodedPools, proactive.FlagsSeen);
        Assert.True(proactive.Told > 0 && proactive.Jobs > 0, $"B was told {proactive.Told} time(s) and started {proactive.Jobs} job(s)");
        Assert.NotEqual(Decisions(before), Decisions(after));
    }

    private async Task<(JobPlanView Before, JobPlanView After, IReadOnlyList<PoolFlag> SharedBefore, IReadOnlyList<PoolFlag> SharedAfter, int FlooderFlags,
        (int FlagsSeen, int Told, int Jobs) Proactive)> FloodAsync(
        int distinctTenantsToFlag)
    {
        await using var silo = await TestSilo.StartAsync(_database, _clock, services => services
            .AddSimulatedCloud(7, o => o.BootTime = TimeSpan.Zero).AddGrainServices().AddSimulatedMarketFeed()
            .Configure<SafetyOptions>(o => o.SafeMode = true)
            .Configure<MarketOptions>(o => o.DistinctTenantsToFlag = distinctTenantsToFlag));
        var b = await DemoCluster.LinkAsync(silo, connect: true);
        var board = silo.Grains.GetGrain<IRiskBoardGrain>(Region);
        var sharedBefore = await board.GetFlags();
        var before = await PlanAsync(silo, b);
        Assert.NotEmpty(before.Replacements);

        var market = (await silo.Grains.MarketSnapshotAsync(Region))!.Pools.Select(p => (p.Pool.AvailabilityZone, p.Pool.InstanceType)).Distinct().ToList();
        var pools = market.Concat(Enumerable.Range(0, FloodedPools - market.Count).Select(i => (Zones[i % Zones.Length], $"x{i / Zones.Length}.flood"))).ToList();
        var flooder = HiveReporters.For("org-flooder");
        var now = _clock.GetUtcNow();
        for (var i = 0; i < pools.Count; i++)
        {
            var (zone, type) = pools[i];
            await silo.Grains.GetGrain<ISpotPoolGrain>(SpotPoolKeys.For(Region, zone, type))
                .ReportInterruption(new InterruptionReport($"i-{i:x17}", InterruptionKinds.Interruption, now, flooder, InterruptionSources.Agent));
        }

        // Every new flag reaches the region's pool index one-way; once it has seen them all, whatever it told B has been sent.
        var index = await Eventually.Wait(() => silo.Grains.GetGrain<IPoolOccupancyGrain>(Region).Get(), v => v.FlagsSeen >= FloodedPools, TimeSpan.FromSeconds(60),
            "the pool index to see the flood's flags");
        var cluster = silo.Grains.GetGrain<IClusterGrain>(b.Cluster.ClusterId);
        if (index.ClustersTold > 0) await Eventually.Wait(() => cluster.GetRecentJobs(b.OrganizationId), j => j!.Count > 1, TimeSpan.FromSeconds(60), "B's proactive job");
        else await Task.Delay(TimeSpan.FromSeconds(1));
        var proactiveJobs = (await cluster.GetRecentJobs(b.OrganizationId))!.Count - 1;
        var after = await PlanAsync(silo, b);

        Assert.Equal(FloodedPools, pools.Distinct().Count());
        return (before, after, sharedBefore, await board.GetFlags(), (await silo.Grains.FlagsForAsync(Region, "org-flooder")).Count,
            (index.FlagsSeen, index.ClustersTold, proactiveJobs));
    }

    private async Task<JobPlanView> PlanAsync(TestSilo silo, DemoCluster tenant)
    {
        var started = await silo.Grains.GetGrain<IClusterGrain>(tenant.Cluster.ClusterId).StartOptimization(tenant.OrganizationId, "user:test", JobTriggers.Manual);
        var job = await Eventually.Wait(() => silo.Grains.GetGrain<IOptimizationJobGrain>(started!.Started!.JobId).Get(tenant.OrganizationId),
            j => JobStatus.IsFinished(j!.Status), TimeSpan.FromSeconds(60), "the optimize job to finish");
        Assert.Equal(JobStatus.Succeeded, job!.Status);
        return job.Plan!;
    }

    private static List<string> Decisions(JobPlanView plan) =>
        [.. plan.Replacements.Select(r => $"{r.InstanceId}→{r.TargetPurchase}:{r.TargetZone}/{r.TargetType}@{r.TargetPricePerHour}"), .. plan.Blocked.Select(x => $"{x.InstanceId}:{x.Code}")];
}
