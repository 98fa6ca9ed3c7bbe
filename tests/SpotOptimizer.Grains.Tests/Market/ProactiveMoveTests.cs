using Microsoft.Extensions.DependencyInjection;
using SpotOptimizer.Cloud;
using SpotOptimizer.Cloud.Simulation;
using SpotOptimizer.Grains.Accounts;
using SpotOptimizer.Grains.Interfaces.Accounts;
using SpotOptimizer.Grains.Interfaces.Clusters;
using SpotOptimizer.Grains.Interfaces.Market;
using SpotOptimizer.Grains.Interfaces.Optimization;
using SpotOptimizer.Grains.Market;
using SpotOptimizer.Optimization.Cluster;
using SpotOptimizer.Tenancy;
using SpotOptimizer.Testing;

namespace SpotOptimizer.Grains.Tests.Market;

/// <summary>
/// Issue 11 item 4: a warning from AWS moves every tenant out of the pool at once. Each tenant is its own simulated
/// account, whose zone names AWS maps its own way; pool P is one physical zone (one zone ID) and one type. A flag on
/// the region's board starts an optimize job (trigger pool_flagged) on every managed cluster with a Spot node in P,
/// without waiting for the schedule; a flag on a tenant's own board moves that tenant only.
/// </summary>
public sealed class ProactiveMoveTests : IAsyncLifetime
{
    private const string Region = SimulatedWorld.DemoRegion;
    private const string Type = "m5.large";
    private static readonly string[] Six = ["us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d", "us-east-1e", "us-east-1f"];

    // P in the market's name (the market reads zones as the demo account names them) and by zone ID.
    private static readonly string MarketZone = "us-east-1a";
    private static readonly string ZoneId = SimulatedNetwork.ZoneId(SimulatedWorld.DemoAccountId, Region, MarketZone);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly ManualTimeProvider _clock = new(new DateTimeOffset(2026, 11, 2, 10, 0, 0, TimeSpan.Zero));
    private readonly StorageKind _storage = new StorageKind.Sqlite();
    private SpotOptimizer.Silo.Storage.SiloStorage _database = null!;
    private SimulatedCloud _cloud = null!;

    public async Task InitializeAsync()
    {
        _database = await _storage.CreateAsync();
        // One cloud for the test, so a restarted silo finds the tenants' accounts as the first one left them.
        _cloud = new SimulatedCloud(SimulatedWorld.Demo(7, _clock.GetUtcNow()), _clock, new SimulatedCloudOptions { BootTime = TimeSpan.Zero });
    }

    public async Task DisposeAsync() => await _storage.DisposeAsync();

    [Fact]
    public async Task AwsEventInTenantAsAccount_StartsTenantBsMoveOutOfThePoolAtOnce_AndLeavesTenantCAlone()
    {
        using var moves = ProactiveMovesCounted();
        await using var silo = await StartAsync(safeMode: false);
        var a = await TenantAsync(silo, "701000000000", "a", inPool: true, connect: false);
        var b = await TenantAsync(silo, "704000000000", "b", inPool: true, connect: true);
        var c = await TenantAsync(silo, "666677778888", "c", inPool: false, connect: true);
        // The same physical zone under three names: only its zone ID ties A's notice to B's node.
        Assert.Equal(3, new[] { MarketZone, ZoneOf(a.AwsAccountId), ZoneOf(b.AwsAccountId) }.Distinct().Count());
        var bCluster = silo.Grains.GetGrain<IClusterGrain>(b.ClusterId);
        await bCluster.UpdatePolicy(b.OrganizationId, "user:test", new PolicyPatch(DryRun: true));
        Assert.Empty((await bCluster.GetRecentJobs(b.OrganizationId))!);
        var poller = silo.Grains.GetGrain<IInstanceEventsGrain>(InstanceEventsKeys.For(a.AccountId, Region));
        await Eventually.Wait(() => poller.Get(), v => v.Polling, Patience, "A's instance-events poller to poll");

        // AWS's two-minute notice on A's node, read from A's EventBridge queue: the pool is flagged for everyone.
        Cloud(silo).InterruptSpotInstance(a.AwsAccountId, Region, a.NodeInPool!);
        Assert.Equal(1, (await poller.Poll()).Reported);

        var job = await ProactiveJobAsync(silo, b);
        Assert.Equal((JobTriggers.PoolFlagged, true), (job.Trigger, job.DryRun));
        Assert.Equal(new FlagCause(SpotPoolKeys.For(Region, MarketZone, Type), FlagReasons.AwsEvent, InterruptionKinds.Interruption), job.Cause);
        var moved = Assert.Single(job.Plan!.Replacements, r => r.InstanceId == b.NodeInPool);
        Assert.Equal((ReplacementReasons.PoolFlagged, ReplacementOutcomes.DryRun), (moved.Reason, moved.Outcome));
        // Counted by the flag's reason (other tests in parallel may add theirs, never this one's absence).
        Assert.Contains(("aws_event", ProactiveMoveOutcomes.Started), moves.Snapshot());
        var planned = Assert.Single(await LedgerAsync(silo, b.OrganizationId, "optimization.planned"));
        Assert.Equal("system:hive-mind", planned.Actor);
        Assert.Contains("\"trigger\":\"pool_flagged\"", planned.After, StringComparison.Ordinal);
        Assert.Contains("\"reason\":\"aws_event\"", planned.After, StringComparison.Ordinal);

        // The index told B only: C has no Spot node in P, A's cluster is not managed.
        var index = await silo.Grains.GetGrain<IPoolOccupancyGrain>(Region).Get();
        Assert.Equal((1, 1), (index.FlagsSeen, index.ClustersTold));
        Assert.Empty((await silo.Grains.GetGrain<IClusterGrain>(c.ClusterId).GetRecentJobs(c.OrganizationId))!);

        // Another notice in P a minute later extends the flag: no second job for B.
        var flagged = Assert.Single(await silo.Grains.GetGrain<IRiskBoardGrain>(Region).GetFlags());
        _clock.Advance(TimeSpan.FromMinutes(1));
        Cloud(silo).InterruptSpotInstance(a.AwsAccountId, Region, a.SecondNodeInPool!);
        Assert.Equal(1, (await poller.Poll()).Reported);
        var extended = Assert.Single(await silo.Grains.GetGrain<IRiskBoardGrain>(Region).GetFlags());
        Assert.Equal((2, flagged.Until + TimeSpan.FromMinutes(1)), (extended.Reports, extended.Until));
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal(1, (await silo.Grains.GetGrain<IPoolOccupancyGrain>(Region).Get()).FlagsSeen);
        Assert.Single((await bCluster.GetRecentJobs(b.OrganizationId))!);
    }

    [Fact]
    public async Task LoneAgentClaim_MovesOnlyTheReportersOwnCluster_AsADryRunUnderSafeMode()
    {
        await using var silo = await StartAsync(safeMode: true);
        var a = await TenantAsync(silo, "444455556666", "a", inPool: true, connect: true);
        var b = await TenantAsync(silo, "555566667777", "b", inPool: true, connect: true);

        var claim = await silo.Grains.GetGrain<IClusterGrain>(a.ClusterId).ReportInterruption(
            new AgentInterruption(AgentTokens.HashOf(a.Token!), a.NodeInPool!, InterruptionKinds.Interruption, _clock.GetUtcNow()));
        Assert.Equal(FlagReasons.OwnReport, claim!.FlagReason);

        var job = await ProactiveJobAsync(silo, a);
        Assert.Equal((true, FlagReasons.OwnReport), (job.DryRun, job.Cause!.Reason));
        Assert.Equal(ReplacementReasons.PoolFlagged, Assert.Single(job.Plan!.Replacements, r => r.InstanceId == a.NodeInPool).Reason);
        Assert.Empty(await silo.Grains.GetGrain<IRiskBoardGrain>(Region).GetFlags());
        Assert.Equal((1, 1), ((await silo.Grains.GetGrain<IPoolOccupancyGrain>(Region).Get()).FlagsSeen, (await silo.Grains.GetGrain<IPoolOccupancyGrain>(Region).Get()).ClustersTold));
        Assert.Empty((await silo.Grains.GetGrain<IClusterGrain>(b.ClusterId).GetRecentJobs(b.OrganizationId))!);
    }

    [Fact]
    public async Task HibernatingCluster_IsToldButNotWoken_AndStartsNoJob()
    {
        await using var silo = await StartAsync(safeMode: false);
        var b = await TenantAsync(silo, "555566667777", "b", inPool: true, connect: true);
        var cluster = silo.Grains.GetGrain<IClusterGrain>(b.ClusterId);
        await cluster.ConfigureHibernation(b.OrganizationId, "user:test", new HibernationPatch(new int[168], "UTC", Prewarm: false));
        _clock.Advance(TimeSpan.FromMinutes(1));
        await cluster.TickAsync(SpotOptimizer.Grains.Clusters.ClusterGrain.HibernationReminder, _clock.GetUtcNow(), TimeSpan.FromMinutes(1));
        Assert.Equal(ClusterPower.Asleep, (await cluster.GetHibernation(b.OrganizationId))!.Power);

        await silo.Grains.GetGrain<ISpotPoolGrain>(SpotPoolKeys.For(Region, MarketZone, Type)).ReportInterruption(
            new InterruptionReport("i-0e0e000000000001", InterruptionKinds.Interruption, _clock.GetUtcNow(), HiveReporters.For("org-elsewhere"), InterruptionSources.AwsEvent));

        await Eventually.Wait(() => silo.Grains.GetGrain<IPoolOccupancyGrain>(Region).Get(), v => v.ClustersTold == 1, Patience, "the index to tell B");
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Empty((await cluster.GetRecentJobs(b.OrganizationId))!);
        Assert.Equal(ClusterPower.Asleep, (await cluster.GetHibernation(b.OrganizationId))!.Power);
    }

    [Fact]
    public async Task ClusterWithAJobRunning_StartsNoSecond_ThenFollowsUpWhenThatJobCompletes()
    {
        // New nodes boot for an hour on a clock the test never advances: the user's job waits in its execute stage.
        _cloud = new SimulatedCloud(SimulatedWorld.Demo(7, _clock.GetUtcNow()), _clock, new SimulatedCloudOptions { BootTime = TimeSpan.FromHours(1) });
        using var moves = ProactiveMovesCounted();
        await using var silo = await StartAsync(safeMode: false);
        var b = await TenantAsync(silo, "704000000000", "b", inPool: true, connect: true);
        var cluster = silo.Grains.GetGrain<IClusterGrain>(b.ClusterId);
        var running = (await cluster.StartOptimization(b.OrganizationId, "user:test", JobTriggers.Manual))!.Started!.JobId;
        await Eventually.Wait(() => silo.Grains.GetGrain<IOptimizationJobGrain>(running).Get(b.OrganizationId), j => j!.Stage == JobStages.Execute, Patience, "the user's job to act");

        await silo.Grains.GetGrain<ISpotPoolGrain>(SpotPoolKeys.For(Region, MarketZone, Type)).ReportInterruption(
            new InterruptionReport("i-0e0e000000000001", InterruptionKinds.Interruption, _clock.GetUtcNow(), HiveReporters.For("org-elsewhere"), InterruptionSources.AwsEvent));

        await Eventually.Wait(() => Task.FromResult(moves.Snapshot()), m => m.Contains(("aws_event", ProactiveMoveOutcomes.AlreadyRunning)), Patience, "B to be told");
        Assert.Equal([running], (await cluster.GetRecentJobs(b.OrganizationId))!);
        Assert.False(JobStatus.IsFinished((await silo.Grains.GetGrain<IOptimizationJobGrain>(running).Get(b.OrganizationId))!.Status));

        // The user's job read the flags before the notice: once it completes, a follow-up job moves B out of the pool.
        var booting = _cloud.World.FindAccount(b.AwsAccountId)!.FindRegion(Region)!.Instances
            .Single(n => n.Instance.Tags.GetValueOrDefault(SpotOptimizer.Grains.Execution.OptimizerNodes.JobTag) == running);
        _cloud.AddInstance(b.AwsAccountId, Region, booting with { Instance = booting.Instance with { State = InstanceState.Running } });
        await Eventually.Wait(async () =>
        {
            _clock.Advance(TimeSpan.FromSeconds(5));
            return await silo.Grains.GetGrain<IOptimizationJobGrain>(running).Get(b.OrganizationId);
        }, j => JobStatus.IsFinished(j!.Status), Patience, "the user's job to complete");
        var jobs = await Eventually.Wait(() => cluster.GetRecentJobs(b.OrganizationId), j => j!.Count == 2, Patience, "the follow-up job");
        var followUp = await silo.Grains.GetGrain<IOptimizationJobGrain>(jobs![0]).Get(b.OrganizationId);
        Assert.Equal((JobTriggers.PoolFlagged, SpotPoolKeys.For(Region, MarketZone, Type)), (followUp!.Trigger, followUp.Cause?.Pool));
        Assert.Contains(("aws_event", ProactiveMoveOutcomes.FollowedUp), moves.Snapshot());
    }

    [Fact]
    public async Task PoolIndex_SurvivesARestart_AndStillMovesTheClusterAtOnce()
    {
        Tenant b;
        await using (var first = await StartAsync(safeMode: false))
        {
            b = await TenantAsync(first, "555566667777", "b", inPool: true, connect: true);
            await first.Grains.GetGrain<IClusterGrain>(b.ClusterId).UpdatePolicy(b.OrganizationId, "user:test", new PolicyPatch(DryRun: true));
            Assert.Equal(1, (await first.Grains.GetGrain<IPoolOccupancyGrain>(Region).Get()).Clusters);
            await first.StopAsync();
        }

        // Nothing about B changes after the restart: only the stored index can know B runs Spot nodes in P.
        await using var restarted = await StartAsync(safeMode: false);
        await restarted.Grains.GetGrain<ISpotPoolGrain>(SpotPoolKeys.For(Region, MarketZone, Type)).ReportInterruption(
            new InterruptionReport("i-0e0e000000000001", InterruptionKinds.RebalanceRecommendation, _clock.GetUtcNow(), HiveReporters.For("org-elsewhere"), InterruptionSources.AwsEvent));

        var job = await ProactiveJobAsync(restarted, b);
        Assert.Equal((JobTriggers.PoolFlagged, InterruptionKinds.RebalanceRecommendation), (job.Trigger, job.Cause!.Kind));
        Assert.Equal(ReplacementReasons.PoolFlagged, Assert.Single(job.Plan!.Replacements, r => r.InstanceId == b.NodeInPool).Reason);
    }

    /// <summary>The (reason, outcome) of every proactive move counted while it lives.</summary>
    private static MovesCounted ProactiveMovesCounted()
    {
        var counted = new MovesCounted();
        counted.Listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == ProductMetrics.MeterName && instrument.Name == "spotoptimizer.hive.proactive_moves") listener.EnableMeasurementEvents(instrument);
        };
        counted.Listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            var tagged = tags.ToArray().ToDictionary(t => t.Key, t => t.Value?.ToString());
            lock (counted.Seen) counted.Seen.Add((tagged.GetValueOrDefault("reason"), tagged.GetValueOrDefault("outcome")));
        });
        counted.Listener.Start();
        return counted;
    }

    private sealed class MovesCounted : IDisposable
    {
        public System.Diagnostics.Metrics.MeterListener Listener { get; } = new();

        public List<(string? Reason, string? Outcome)> Seen { get; } = [];

        public List<(string? Reason, string? Outcome)> Snapshot()
        {
            lock (Seen) return [.. Seen];
        }

        public void Dispose() => Listener.Dispose();
    }

    /// <summary>A silo whose market knows its zone IDs (the feed names them), so pools are matched by ID, not by name.</summary>
    private async Task<TestSilo> StartAsync(bool safeMode)
    {
        var silo = await TestSilo.StartAsync(_database, _clock, services => services
            .Configure<Microsoft.Extensions.Hosting.HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(3))
            .AddSingleton(_cloud).AddSingleton<ICloudProvider>(_cloud).AddGrainServices().AddSimulatedMarketFeed()
            .Configure<SafetyOptions>(o => o.SafeMode = safeMode)
            .Configure<AccountDiscoveryOptions>(o => o.InstanceEventsPollInterval = Timeout.InfiniteTimeSpan)
            // The schedule is half a day away: any job within the test is a proactive move.
            .Configure<SpotOptimizer.Grains.Optimization.OptimizerOptions>(o => o.FirstRun = o.Period = TimeSpan.FromHours(12)));
        await silo.Grains.GetGrain<IMarketGrain>(Region).RefreshAdvisor();
        Assert.Equal(ZoneId, (await silo.Grains.GetGrain<IMarketGrain>(Region).GetZoneIds())[MarketZone]);
        return silo;
    }

    private static string ZoneOf(string awsAccountId) => Six.Single(z => SimulatedNetwork.ZoneId(awsAccountId, Region, z) == ZoneId);

    private static SimulatedCloud Cloud(TestSilo silo) => silo.Services.GetRequiredService<SimulatedCloud>();

    /// <summary>The job B's cluster started on its own, once it has planned.</summary>
    private static async Task<JobView> ProactiveJobAsync(TestSilo silo, Tenant tenant)
    {
        var cluster = silo.Grains.GetGrain<IClusterGrain>(tenant.ClusterId);
        var jobs = await Eventually.Wait(() => cluster.GetRecentJobs(tenant.OrganizationId), j => j!.Count > 0, Patience, "a proactive job");
        return (await Eventually.Wait(() => silo.Grains.GetGrain<IOptimizationJobGrain>(jobs![0]).Get(tenant.OrganizationId),
            j => JobStatus.IsFinished(j!.Status), Patience, "the proactive job to finish"))!;
    }

    private static Task<IReadOnlyList<LedgerEntry>> LedgerAsync(TestSilo silo, string organizationId, string action) =>
        silo.Services.GetRequiredService<AuditQueries>().OfActionAsync(organizationId, action, null, CancellationToken.None);

    /// <summary>
    /// A tenant with its own AWS account (six zones, named its own way) and one EKS cluster, linked and discovered;
    /// with two Spot nodes in P when asked, none otherwise; connected (managed) when asked.
    /// </summary>
    private async Task<Tenant> TenantAsync(TestSilo silo, string awsAccountId, string name, bool inPool, bool connect)
    {
        var cloud = Cloud(silo);
        cloud.Update(world => world.UpdateRegion(awsAccountId, Region, r => r with { AvailabilityZones = Six }));
        var eks = cloud.AddDemoCluster(awsAccountId, Region, $"{name}-eks");
        var zone = ZoneOf(awsAccountId);
        foreach (var node in cloud.World.FindAccount(awsAccountId)!.FindRegion(Region)!.Instances
                     .Where(n => n.Instance.AvailabilityZone == zone && n.Instance.InstanceType == Type && n.Instance.Lifecycle == InstanceLifecycle.Spot).ToList())
            cloud.RemoveInstance(awsAccountId, Region, node.Instance.InstanceId);
        string? first = null, second = null;
        if (inPool)
        {
            (first, second) = ($"i-0{awsAccountId[..4]}00000000001", $"i-0{awsAccountId[..4]}00000000002");
            foreach (var id in new[] { first, second })
            {
                cloud.AddInstance(awsAccountId, Region, new SimulatedNode(new Ec2Instance(id, Type, zone, InstanceLifecycle.Spot, InstanceState.Running,
                    _clock.GetUtcNow() - TimeSpan.FromDays(2), $"ip-10-0-0-{id[^1]}.ec2.internal",
                    new Dictionary<string, string> { [Ec2Instance.ClusterNameTag] = eks.Cluster.Name }), 3));
            }
        }

        var signup = await silo.Services.GetRequiredService<IdentityStore>().SignupAsync(name, $"ops@{name}.io", "hash", Roles.Client, default);
        var organizationId = signup.Organization.Id;
        var account = silo.Grains.GetGrain<IAccountGrain>(signup.PlaceholderAccount.Id);
        var link = await account.BeginLink(organizationId, "user:test");
        var role = cloud.DeployCustomerStack(awsAccountId, link.ExternalId);
        await account.Verify(new VerifyLink(organizationId, "user:test", awsAccountId, role.ToString()));
        await account.Discover();
        var clusterId = Assert.Single((await account.GetDiscoveredClusters(organizationId))!).ClusterId;
        var token = connect ? (await silo.Grains.GetGrain<IClusterGrain>(clusterId).Connect(organizationId, "user:test"))!.Token : null;
        return new Tenant(organizationId, signup.PlaceholderAccount.Id, awsAccountId, clusterId, token, first, second);
    }

    private sealed record Tenant(string OrganizationId, string AccountId, string AwsAccountId, string ClusterId, string? Token, string? NodeInPool, string? SecondNodeInPool);
}
