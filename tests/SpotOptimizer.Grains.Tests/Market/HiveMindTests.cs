using Microsoft.Extensions.DependencyInjection;
using SpotOptimizer.Grains.Interfaces.Market;
using SpotOptimizer.Grains.Market;
using SpotOptimizer.Testing;

namespace SpotOptimizer.Grains.Tests.Market;

/// <summary>
/// SVC-RISK-GLB: an AWS-corroborated report raises the pool's flag on the region's board before the report returns,
/// counts each notice once, lasts the configured TTL from the notice, and survives a restart.
/// </summary>
public abstract class HiveMindTests(StorageKind storage) : IAsyncLifetime
{
    private static readonly string Pool = SpotPoolKeys.For("us-east-1", "us-east-1a", "c5.xlarge");
    private readonly ManualTimeProvider _clock = new(new DateTimeOffset(2026, 11, 2, 10, 0, 0, TimeSpan.Zero));
    private TestSilo _silo = null!;
    private SpotOptimizer.Silo.Storage.SiloStorage _database = null!;

    public async Task InitializeAsync()
    {
        _database = await storage.CreateAsync();
        _silo = await StartAsync();
    }

    private Task<TestSilo> StartAsync() =>
        MarketSilo.StartAsync(_database, _clock, s => s.Configure<MarketOptions>(o => o.RiskFlagTtl = TimeSpan.FromMinutes(45)));

    /// <summary>An EventBridge event from one tenant's account: AWS's own word, which flags the pool for everyone.</summary>
    private static InterruptionReport Event(string instanceId, string kind, DateTimeOffset noticeTime) =>
        new(instanceId, kind, noticeTime, HiveReporters.For("org-events"), InterruptionSources.AwsEvent);

    public async Task DisposeAsync()
    {
        await _silo.DisposeAsync();
        await storage.DisposeAsync();
    }

    [SkippableFact]
    public async Task Report_FlagsThePoolOnTheBoard_BeforeItReturns()
    {
        var view = await _silo.Grains.GetGrain<ISpotPoolGrain>(Pool).ReportInterruption(Event("i-1", InterruptionKinds.Interruption, _clock.GetUtcNow()));
        var flags = await _silo.Grains.GetGrain<IRiskBoardGrain>("us-east-1").GetFlags();

        Assert.Equal(_clock.GetUtcNow() + TimeSpan.FromMinutes(45), view.FlaggedUntil);
        var flag = Assert.Single(flags);
        Assert.Equal(("us-east-1a", "c5.xlarge"), (flag.AvailabilityZone, flag.InstanceType));
        Assert.Empty(await _silo.Grains.GetGrain<IRiskBoardGrain>("eu-west-1").GetFlags());
    }

    [SkippableFact]
    public async Task SameNoticeTwice_CountsOnce_ARebalanceExtendsTheFlagOnlyByItsShorterLifetime()
    {
        var pool = _silo.Grains.GetGrain<ISpotPoolGrain>(Pool);
        var now = _clock.GetUtcNow();
        await pool.ReportInterruption(Event("i-1", InterruptionKinds.Interruption, now));
        await pool.ReportInterruption(Event("i-1", InterruptionKinds.Interruption, now));
        // A rebalance recommendation flags for half the TTL (22.5 minutes here): one a minute later ends before the flag does.
        var soon = await pool.ReportInterruption(Event("i-2", InterruptionKinds.RebalanceRecommendation, now + TimeSpan.FromMinutes(1)));
        var late = await pool.ReportInterruption(Event("i-3", InterruptionKinds.RebalanceRecommendation, now + TimeSpan.FromMinutes(30)));

        Assert.Equal((1, 1, now + TimeSpan.FromMinutes(45)), (soon.Interruptions, soon.RebalanceRecommendations, soon.FlaggedUntil));
        Assert.Equal((1, 2), (late.Interruptions, late.RebalanceRecommendations));
        var flag = Assert.Single(await _silo.Grains.GetGrain<IRiskBoardGrain>("us-east-1").GetFlags());
        Assert.Equal((2, now + TimeSpan.FromMinutes(52.5), InterruptionKinds.RebalanceRecommendation), (flag.Reports, flag.Until, flag.Kind));
    }

    [SkippableFact]
    public async Task Flag_ExpiresAfterTheTtlFromTheNotice_AndAnOldNoticeRaisesNone()
    {
        var pool = _silo.Grains.GetGrain<ISpotPoolGrain>(Pool);
        var board = _silo.Grains.GetGrain<IRiskBoardGrain>("us-east-1");
        await pool.ReportInterruption(Event("i-1", InterruptionKinds.Interruption, _clock.GetUtcNow() - TimeSpan.FromMinutes(10)));

        _clock.Advance(TimeSpan.FromMinutes(34));
        Assert.Single(await board.GetFlags());
        _clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Empty(await board.GetFlags());
        Assert.Null((await pool.Get()).FlaggedUntil);

        var late = await pool.ReportInterruption(Event("i-9", InterruptionKinds.Interruption, _clock.GetUtcNow() - TimeSpan.FromHours(2)));
        Assert.Equal(2, late.Interruptions);
        Assert.Null(late.FlaggedUntil);
        Assert.Empty(await board.GetFlags());
    }

    [SkippableFact]
    public async Task Board_BetweenReads_NewFlagsAppearAndExpiredOnesGoInZoneThenTypeOrder()
    {
        var board = _silo.Grains.GetGrain<IRiskBoardGrain>("us-east-1");
        var now = _clock.GetUtcNow();
        Assert.Empty(await board.GetFlags());

        await _silo.Grains.GetGrain<ISpotPoolGrain>(SpotPoolKeys.For("us-east-1", "us-east-1b", "m5.large")).ReportInterruption(Event("i-1", InterruptionKinds.Interruption, now));
        Assert.Equal([("us-east-1b", "m5.large")], (await board.GetFlags()).Select(f => (f.AvailabilityZone, f.InstanceType)));
        await _silo.Grains.GetGrain<ISpotPoolGrain>(Pool).ReportInterruption(Event("i-2", InterruptionKinds.Interruption, now + TimeSpan.FromMinutes(20)));
        Assert.Equal([("us-east-1a", "c5.xlarge"), ("us-east-1b", "m5.large")], (await board.GetFlags()).Select(f => (f.AvailabilityZone, f.InstanceType)));

        _clock.Advance(TimeSpan.FromMinutes(46));
        Assert.Equal([("us-east-1a", "c5.xlarge")], (await board.GetFlags()).Select(f => (f.AvailabilityZone, f.InstanceType)));
        _clock.Advance(TimeSpan.FromMinutes(20));
        Assert.Empty(await board.GetFlags());
    }

    [SkippableFact]
    public async Task Flag_SurvivesARestart()
    {
        await _silo.Grains.GetGrain<ISpotPoolGrain>(Pool).ReportInterruption(Event("i-1", InterruptionKinds.Interruption, _clock.GetUtcNow()));
        await _silo.StopAsync();

        await using var restarted = await StartAsync();
        Assert.Equal(FlagReasons.AwsEvent, Assert.Single(await restarted.Grains.GetGrain<IRiskBoardGrain>("us-east-1").GetFlags()).Reason);
        var view = await restarted.Grains.GetGrain<ISpotPoolGrain>(Pool).Get();
        Assert.Equal((1, FlagReasons.AwsEvent, 1), (view.Interruptions, view.FlagReason, view.Reporters));
    }
}

public sealed class SqliteHiveMindTests() : HiveMindTests(new StorageKind.Sqlite());

public sealed class PostgresHiveMindTests() : HiveMindTests(new StorageKind.Postgres());
