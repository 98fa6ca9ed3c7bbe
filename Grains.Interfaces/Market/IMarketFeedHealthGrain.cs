using Orleans;
using Orleans.Concurrency;

namespace SpotOptimizer.Grains.Interfaces.Market;

/// <summary>
/// The cluster-wide record of the market's live sources (key <see cref="Key"/>): each feed reports how its last
/// refresh went, <c>/health</c> reads them. It lives in memory: a restart of its silo clears it until the feeds next
/// report (Spot prices every few minutes).
/// </summary>
public interface IMarketFeedHealthGrain : IGrainWithStringKey
{
    const string Key = "market-feeds";

    [OneWay]
    Task Report(FeedReport report);

    /// <summary>The latest report of every feed and region, with its age at <paramref name="now"/>.</summary>
    [ReadOnly]
    Task<IReadOnlyList<FeedHealth>> GetFeeds(DateTimeOffset now);
}

/// <summary>Healthy: fresh from the source. Degraded: the source failed; a stale or fallback copy is served. Unavailable: nothing to serve.</summary>
[GenerateSerializer]
public enum FeedState
{
    Healthy,
    Degraded,
    Unavailable,
}

/// <summary>How a feed's last refresh went.</summary>
/// <param name="Feed">One of <see cref="MarketFeedNames"/>.</param>
/// <param name="Region">Null for a feed that covers every region (the Spot Advisor).</param>
/// <param name="LastGoodAt">When the copy in use was fetched from the source; null when there is none.</param>
/// <param name="Detail">Why the feed is not healthy (or what went wrong beside a good refresh, such as a cache that could not be written); null when nothing did.</param>
[GenerateSerializer, Immutable]
public sealed record FeedReport(string Feed, string? Region, FeedState State, DateTimeOffset? LastGoodAt, string? Detail);

/// <param name="AgeSeconds">Time since <see cref="FeedReport.LastGoodAt"/>; null when the feed never had a good copy.</param>
[GenerateSerializer, Immutable]
public sealed record FeedHealth(string Feed, string? Region, FeedState State, double? AgeSeconds, string? Detail);

/// <summary>The market's live sources, as <c>/health</c> names them.</summary>
public static class MarketFeedNames
{
    public const string SpotPrices = "spot_prices";
    public const string OnDemandPrices = "on_demand_prices";
    public const string SpotAdvisor = "spot_advisor";
}
