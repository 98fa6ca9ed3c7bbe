using Microsoft.Extensions.DependencyInjection;
using SpotOptimizer.Cloud;
using SpotOptimizer.Grains.Interfaces.Market;
using SpotOptimizer.Grains.Market;
using SpotOptimizer.Testing;

namespace SpotOptimizer.Grains.Tests.Market;

/// <summary>
/// Issue 11 item 7, the weighting: a lone tenant's claim flags a pool for that tenant only; claims from enough
/// distinct tenants, AWS's own event or notice, or a price jump in the pool flag it for everyone, saying why.
/// </summary>
public abstract class HiveMindEvidenceTests(StorageKind storage) : IAsyncLifetime
{
    private const string Region = "us-east-1";
    private static readonly DateTimeOffset Start = new(2026, 11, 2, 10, 0, 0, TimeSpan.Zero);
    private static readonly string Pool = SpotPoolKeys.For(Region, "us-east-1a", "c5.xlarge");
    private static readonly string A = HiveReporters.For("org-a");
    private static readonly string B = HiveReporters.For("org-b");
    private static readonly string C = HiveReporters.For("org-c");
    private readonly ManualTimeProvider _clock = new(Start);
    private SpotOptimizer.Silo.Storage.SiloStorage _database = null!;
    private string? _prices;

    public async Task InitializeAsync() => _database = await storage.CreateAsync();

    public async Task DisposeAsync()
    {
        if (_prices is not null) File.Delete(_prices);
        await storage.DisposeAsync();
    }

    private Task<TestSilo> StartAsync(Action<SpotOptimizer.Cloud.Simulation.SimulatedCloudOptions>? cloud = null) =>
        TestSilo.StartAsync(_database, _clock, services => services.AddSimulatedCloud(7, cloud).AddGrainServices().AddSimulatedMarketFeed()
            .Configure<MarketOptions>(o => o.DistinctTenantsToFlag = 2));

    private static InterruptionReport Claim(string reporter, string instanceId, DateTimeOffset at) =>
        new(instanceId, InterruptionKinds.Interruption, at, reporter, InterruptionSources.Agent);

    [SkippableFact]
    public async Task OneTenantsClaims_FlagOnlyItsOwnBoard_UntilASecondTenantAgrees()
    {
        await using var silo = await StartAsync();
        var pool = silo.Grains.GetGrain<ISpotPoolGrain>(Pool);
        var shared = silo.Grains.GetGrain<IRiskBoardGrain>(Region);
        var now = _clock.GetUtcNow();

        var first = await pool.ReportInterruption(Claim(A, "i-a1", now));
        var again = await pool.ReportInterruption(Claim(A, "i-a2", now));

        Assert.Equal((null, now + TimeSpan.FromMinutes(30), 1), (first.FlaggedUntil, first.OwnFlaggedUntil, first.Reporters));
        Assert.Equal((null, 2), (again.FlaggedUntil, again.Interruptions));
        Assert.Empty(await shared.GetFlags());
        var own = Assert.Single(await silo.Grains.GetGrain<IRiskBoardGrain>(RiskBoardKeys.Own(Region, A)).GetFlags());
        Assert.Equal(("us-east-1a", "c5.xlarge", FlagReasons.OwnReport), (own.AvailabilityZone, own.InstanceType, own.Reason));
        Assert.Empty(await silo.Grains.GetGrain<IRiskBoardGrain>(RiskBoardKeys.Own(Region, B)).GetFlags());

        _clock.Advance(TimeSpan.FromMinutes(5));
        var second = await pool.ReportInterruption(Claim(B, "i-b1", _clock.GetUtcNow()));
        await pool.ReportInterruption(Claim(C, "i-c1", _clock.GetUtcNow()));

        Assert.Equal((now + TimeSpan.FromMinutes(35), "distinct_tenants:2", null), (second.FlaggedUntil, second.FlagReason, second.OwnFlaggedUntil));
        var flag = Assert.Single(await shared.GetFlags());
        Assert.Equal(("distinct_tenants:3", now + TimeSpan.FromMinutes(35)), (flag.Reason, flag.Until));
        var view = await pool.Get();
        Assert.Equal((3, "distinct_tenants:3"), (view.Reporters, view.FlagReason));
    }

    [SkippableFact]
    public async Task ClaimsFromTwoTenantsTooFarApart_NeverFlagForEveryone()
    {
        await using var silo = await StartAsync();
        var pool = silo.Grains.GetGrain<ISpotPoolGrain>(Pool);
        await pool.ReportInterruption(Claim(A, "i-a1", _clock.GetUtcNow()));

        _clock.Advance(TimeSpan.FromMinutes(31));
        var late = await pool.ReportInterruption(Claim(B, "i-b1", _clock.GetUtcNow()));

        Assert.Equal((null, 1), (late.FlaggedUntil, late.Reporters));
        Assert.Empty(await silo.Grains.GetGrain<IRiskBoardGrain>(Region).GetFlags());
    }

    [SkippableFact]
    public async Task AwsEventOrDiscoveryNotice_FlagsForEveryoneAtOnce_EvenAfterTheSameTenantsClaim()
    {
        await using var silo = await StartAsync();
        var pool = silo.Grains.GetGrain<ISpotPoolGrain>(Pool);
        var other = silo.Grains.GetGrain<ISpotPoolGrain>(SpotPoolKeys.For(Region, "us-east-1b", "m5.large"));
        var now = _clock.GetUtcNow();

        // The agent saw the notice first; AWS's event about the same instance then corroborates it.
        await pool.ReportInterruption(Claim(A, "i-a1", now));
        var corroborated = await pool.ReportInterruption(new("i-a1", InterruptionKinds.Interruption, now, A, InterruptionSources.AwsEvent));
        var notice = await other.ReportInterruption(new("i-a9", InterruptionKinds.RebalanceRecommendation, now, A, InterruptionSources.Discovery));

        Assert.Equal((FlagReasons.AwsEvent, 1), (corroborated.FlagReason, corroborated.Interruptions));
        Assert.Equal((FlagReasons.DiscoveryNotice, now + TimeSpan.FromMinutes(15)), (notice.FlagReason, notice.FlaggedUntil));
        Assert.Equal([("us-east-1a", FlagReasons.AwsEvent), ("us-east-1b", FlagReasons.DiscoveryNotice)],
            (await silo.Grains.GetGrain<IRiskBoardGrain>(Region).GetFlags()).Select(f => (f.AvailabilityZone, f.Reason)));
    }

    [SkippableFact]
    public async Task LoneClaim_InAPoolWhosePriceJumped_FlagsForEveryone_InAFlatPoolOnlyForItsReporter()
    {
        // The replayed market: us-east-1a's c5.xlarge holds 0.06 for four hours, then jumps to 0.10; us-east-1b's stays flat.
        _prices = Path.GetTempFileName();
        await File.WriteAllLinesAsync(_prices,
        [
            "az\tinstance_type\tos\tusd_per_hour\ttimestamp",
            $"us-east-1a\tc5.xlarge\tLinux/UNIX\t0.0600\t{Start:yyyy-MM-ddTHH:mm:ssZ}",
            $"us-east-1b\tc5.xlarge\tLinux/UNIX\t0.0600\t{Start:yyyy-MM-ddTHH:mm:ssZ}",
            $"us-east-1a\tc5.xlarge\tLinux/UNIX\t0.1000\t{Start.AddHours(4):yyyy-MM-ddTHH:mm:ssZ}",
            $"us-east-1b\tc5.xlarge\tLinux/UNIX\t0.0610\t{Start.AddHours(4):yyyy-MM-ddTHH:mm:ssZ}",
        ]);
        await using var silo = await StartAsync(o => o.PriceHistoryFile = _prices);
        var market = silo.Grains.GetGrain<IMarketGrain>(Region);
        for (var hour = 0; hour <= 4; hour++)
        {
            if (hour > 0) _clock.Advance(TimeSpan.FromHours(1));
            Assert.True((await market.RefreshPrices()).Succeeded);
        }

        var jumped = await silo.Grains.GetGrain<ISpotPoolGrain>(Pool).ReportInterruption(Claim(A, "i-a1", _clock.GetUtcNow()));
        var flat = await silo.Grains.GetGrain<ISpotPoolGrain>(SpotPoolKeys.For(Region, "us-east-1b", "c5.xlarge"))
            .ReportInterruption(Claim(A, "i-a2", _clock.GetUtcNow()));

        Assert.Equal(("price_jump:+67%", null), (jumped.FlagReason, jumped.OwnFlaggedUntil));
        Assert.Equal((null, null), (flat.FlaggedUntil, flat.FlagReason));
        Assert.NotNull(flat.OwnFlaggedUntil);
        Assert.Equal("us-east-1a", Assert.Single(await silo.Grains.GetGrain<IRiskBoardGrain>(Region).GetFlags()).AvailabilityZone);
    }
}

public sealed class SqliteHiveMindEvidenceTests() : HiveMindEvidenceTests(new StorageKind.Sqlite());

public sealed class PostgresHiveMindEvidenceTests() : HiveMindEvidenceTests(new StorageKind.Postgres());
