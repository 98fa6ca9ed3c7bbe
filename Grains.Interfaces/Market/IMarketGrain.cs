using Orleans;
using Orleans.Concurrency;

namespace SpotOptimizer.Grains.Interfaces.Market;

/// <summary>
/// One region's Spot market, keyed by region name (SVC-PRICE-01, SVC-SCRAPE-01): reminders refresh Spot prices every
/// five minutes and the Spot Advisor every six hours from the market feed; each <see cref="ISpotPoolGrain"/> asks it
/// for its pool's prices when read. A failed refresh keeps the last known values, marked stale (failure mode L2).
/// </summary>
public interface IMarketGrain : IGrainWithStringKey
{
    /// <summary>Starts the refresh reminders and loads whatever was never loaded.</summary>
    Task Start();

    Task<FeedRefresh> RefreshPrices();

    Task<FeedRefresh> RefreshAdvisor();

    /// <summary>What a decision needs, in one call: every priced pool with its recent hourly prices, On-Demand offers, buckets.</summary>
    [ReadOnly]
    Task<MarketQuotes?> GetSnapshot();

    [ReadOnly]
    Task<MarketStatus> GetStatus();

    /// <summary>The feed's zone names → zone IDs (empty until the feed said): how a tenant's zone names are translated into the market's.</summary>
    [ReadOnly]
    Task<IReadOnlyDictionary<string, string>> GetZoneIds();

    /// <summary>One pool's current price and its last <paramref name="hours"/> hourly prices; null when the market never priced it.</summary>
    [ReadOnly]
    Task<PoolPriceHistory?> GetPoolPrices(string availabilityZone, string instanceType, int hours);
}

[GenerateSerializer, Immutable]
public sealed record FeedRefresh(bool Succeeded, int Pools, string? Error, DateTimeOffset At);

/// <param name="PricesAt">When prices were last refreshed successfully.</param>
[GenerateSerializer, Immutable]
public sealed record MarketStatus(
    string Region,
    DateTimeOffset? PricesAt,
    bool PricesStale,
    string? PricesError,
    DateTimeOffset? AdvisorAt,
    bool AdvisorStale,
    string? AdvisorError,
    int Pools,
    int StalePools);
