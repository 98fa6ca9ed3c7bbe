using Microsoft.Extensions.DependencyInjection;
using SpotOptimizer.Grains.Clusters;
using Orleans;
using SpotOptimizer.Grains.Market;
using SpotOptimizer.Cloud;
using SpotOptimizer.Cloud.Simulation;
using SpotOptimizer.Grains.Interfaces.Market;
using SpotOptimizer.Optimization.Decision;
using SpotOptimizer.Optimization.Market;
using SpotOptimizer.Optimization.Risk;
using SpotOptimizer.Optimization.Selection;
using SpotOptimizer.Testing;

namespace SpotOptimizer.Grains.Tests.Market;

/// <summary>
/// SVC-PRICE-01 / SVC-SCRAPE-01 in the grains: prices refresh into the region's market and each pool grain; a failed
/// refresh keeps the last known prices marked stale, the decision adds the 10% buffer and says so (L2); a fresh value
/// clears it.
/// </summary>
public abstract class MarketFeedTests(StorageKind storage) : IAsyncLifetime
{
    private readonly ManualTimeProvider _clock = new(new DateTimeOffset(2026, 11, 2, 10, 0, 0, TimeSpan.Zero));
    private TestSilo _silo = null!;

    // A short first-load retry, so the test of it waits half a second (grain timers run on real time).
    public async Task InitializeAsync() =>
        _silo = await MarketSilo.StartAsync(await storage.CreateAsync(), _clock, s => s.Configure<MarketOptions>(o => o.FirstLoadRetry = TimeSpan.FromMilliseconds(500)));

    public async Task DisposeAsync()
    {
        await _silo.DisposeAsync();
        await storage.DisposeAsync();
    }

    private SimulatedCloud Cloud => (SimulatedCloud)_silo.Services.GetService(typeof(SimulatedCloud))!;

    [SkippableFact]
    public async Task Start_FeedDownAtFirst_RetriesSoonInsteadOfWaitingForTheReminder()
    {
        var market = _silo.Grains.GetGrain<IMarketGrain>("eu-west-1");
        Cloud.InjectFault(CloudActions.MarketFeed, new CloudException(CloudErrorCodes.Unavailable, "feed not up yet"));

        await market.Start();
        Assert.Null((await market.GetStatus()).PricesAt);

        // The retry timer fires after half a second of real time; the reminder would wait five minutes.
        for (var i = 0; i < 100 && (await market.GetStatus()).PricesAt is null; i++) await Task.Delay(100);
        var start = _clock.GetUtcNow();

        var status = await market.GetStatus();
        Assert.NotNull(status.PricesAt);
        Assert.Equal(start, status.PricesAt);
        Assert.NotNull(await market.GetSnapshot());
    }

    [SkippableFact]
    public async Task Start_LoadsEveryCatalogPoolIntoTheMarketAndThePoolGrains()
    {
        var market = _silo.Grains.GetGrain<IMarketGrain>("us-east-1");

        await market.Start();

        var snapshot = MarketQuotesMapping.ToSnapshot((await market.GetSnapshot())!);
        Assert.Equal(InstanceCatalog.Types.Count * 4, snapshot.Pools.Count);
        Assert.All(snapshot.Pools, q => Assert.False(q.Stale));
        Assert.Equal(3, snapshot.Pools.Single(q => q.Pool == new SpotPoolId("us-east-1a", "m5.large")).Bucket);
        var expected = (double)(await Cloud.PublicSpotPricesAsync("us-east-1")).Single(p => p.AvailabilityZone == "us-east-1b" && p.InstanceType == "c5.xlarge").PricePerHour;
        var pool = await _silo.Grains.GetGrain<ISpotPoolGrain>(SpotPoolKeys.For("us-east-1", "us-east-1b", "c5.xlarge")).Get();
        Assert.Equal(expected, pool.PricePerHour);
        Assert.Equal(expected, snapshot.Pools.Single(q => q.Pool == new SpotPoolId("us-east-1b", "c5.xlarge")).SpotPrice);
    }

    [SkippableFact]
    public async Task FailedRefresh_KeepsLastPricesMarkedStale_DecisionAddsTenPercent_FreshValueClearsIt()
    {
        var market = _silo.Grains.GetGrain<IMarketGrain>("us-east-1");
        await market.Start();
        var fresh = MarketQuotesMapping.ToSnapshot((await market.GetSnapshot())!);

        _clock.Advance(TimeSpan.FromMinutes(5));
        Cloud.InjectFault(CloudActions.MarketFeed, new CloudException(CloudErrorCodes.Unavailable, "feed down"));
        var failed = await market.RefreshPrices();

        Assert.False(failed.Succeeded);
        var stale = MarketQuotesMapping.ToSnapshot((await market.GetSnapshot())!);
        Assert.All(stale.Pools, q => Assert.True(q.Stale));
        Assert.Equal(fresh.Pools.Select(q => q.SpotPrice), stale.Pools.Select(q => q.SpotPrice));
        var status = await market.GetStatus();
        Assert.True(status.PricesStale);
        Assert.Equal(stale.Pools.Count, status.StalePools);

        var decision = Decide(stale);
        Assert.True(decision.PricesStale);
        Assert.Contains(decision.Notes, n => n.Contains("[STALE-L2]", StringComparison.Ordinal));
        var chosen = decision.Selection.Allocations[0];
        var last = stale.Pools.Single(q => q.Pool == chosen.Pool).SpotPrice;
        Assert.Equal(last * 1.10, chosen.PricePerNodeHour, 9);

        _clock.Advance(TimeSpan.FromMinutes(5));
        Assert.True((await market.RefreshPrices()).Succeeded);
        var cleared = MarketQuotesMapping.ToSnapshot((await market.GetSnapshot())!);
        Assert.All(cleared.Pools, q => Assert.False(q.Stale));
        Assert.False(Decide(cleared).PricesStale);
        Assert.False((await market.GetStatus()).PricesStale);
    }

    [SkippableFact]
    public async Task PriceTicks_EveryFiveMinutesForThreeHours_BuildHourlyHistory_FromARegisteredReminder()
    {
        var market = _silo.Grains.GetGrain<IMarketGrain>("us-east-1");
        await market.Start();
        var first = (await market.GetStatus()).PricesAt;

        for (var i = 0; i < 36; i++)
        {
            _clock.Advance(TimeSpan.FromMinutes(5));
            await market.TickAsync(MarketGrain.PriceReminder, _clock.GetUtcNow(), TimeSpan.FromMinutes(5));
        }

        Assert.NotNull(await _silo.Services.GetRequiredService<Orleans.IReminderTable>().ReadRow(market.GetGrainId(), MarketGrain.PriceReminder));

        var status = await Eventually.Wait(() => market.GetStatus(), s => s.PricesAt >= first + TimeSpan.FromHours(3), what: "three hours of refreshes");
        Assert.False(status.PricesStale);
        var history = MarketQuotesMapping.ToSnapshot((await market.GetSnapshot())!).Pools[0].HourlyHistory;
        Assert.True(history.Count >= 4, $"history has {history.Count} hours");
    }

    private SpotDecision Decide(MarketSnapshot market)
    {
        var reference = new RiskReferenceData(market.OnDemand.ToDictionary(o => o.Type.Name, o => o.PricePerHour), new Dictionary<string, int>());
        var requirements = new WorkloadRequirements(2, 1, 2, CpuArchitecture.Amd64, ["c5", "m5"]);
        return SpotDecisionEngine.Decide(new SpotDecisionRequest(requirements, market, new HashSet<SpotPoolId>(), SelectionPolicy.Default, _clock.GetUtcNow()),
            new RiskAssessor(null, reference));
    }
}

public sealed class SqliteMarketFeedTests() : MarketFeedTests(new StorageKind.Sqlite());

public sealed class PostgresMarketFeedTests() : MarketFeedTests(new StorageKind.Postgres());
