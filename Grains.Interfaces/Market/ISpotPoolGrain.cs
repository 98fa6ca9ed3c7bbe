using Orleans;
using Orleans.Concurrency;

namespace SpotOptimizer.Grains.Interfaces.Market;

/// <summary>
/// One Spot capacity pool, keyed by <see cref="SpotPoolKeys.For"/> (region/zone/type), shared by every tenant: its
/// recent prices, how often it was interrupted, and the hive mind's risk flag. A report from any tenant raises the
/// flag for all of them, through the region's <see cref="IRiskBoardGrain"/>. Reports never say which tenant.
/// </summary>
public interface ISpotPoolGrain : IGrainWithStringKey
{
    /// <summary>
    /// Counts the report and raises the flag. The answer carries the counts and the flag only (no prices): a report
    /// is the hive mind's hot path and must not wait for the market grain; <see cref="Get"/> has the prices.
    /// </summary>
    Task<SpotPoolView> ReportInterruption(InterruptionReport report);

    [ReadOnly]
    Task<SpotPoolView> Get();
}

/// <param name="Kind">
/// interruption (a full report) or rebalance_recommendation (an early warning: it flags the pool for a shorter time,
/// <c>MarketOptions.RebalanceFlagWeight</c>).
/// </param>
[GenerateSerializer, Immutable]
public sealed record InterruptionReport(string InstanceId, string Kind, DateTimeOffset NoticeTime);

[GenerateSerializer, Immutable]
public sealed record PoolPricePoint(DateTimeOffset At, double PricePerHour);

/// <param name="Recent">The last hours' prices, one per hour, oldest first; the last is the current price.</param>
[GenerateSerializer, Immutable]
public sealed record PoolPriceHistory(double PricePerHour, bool Stale, IReadOnlyList<PoolPricePoint> Recent);

[GenerateSerializer, Immutable]
public sealed record SpotPoolView(
    string Region,
    string AvailabilityZone,
    string InstanceType,
    double? PricePerHour,
    bool PriceStale,
    IReadOnlyList<PoolPricePoint> RecentPrices,
    int Interruptions,
    int RebalanceRecommendations,
    DateTimeOffset? LastReportAt,
    DateTimeOffset? FlaggedUntil)
{
    /// <summary>
    /// What raised the flag in force: <see cref="InterruptionKinds.Interruption"/>, or
    /// <see cref="InterruptionKinds.RebalanceRecommendation"/> (an early warning, flagged for a shorter time). Null when not flagged.
    /// </summary>
    [Id(10)]
    public string? FlagKind { get; init; }
}

public static class InterruptionKinds
{
    public const string Interruption = "interruption";
    public const string RebalanceRecommendation = "rebalance_recommendation";
}

public static class SpotPoolKeys
{
    public static string For(string region, string availabilityZone, string instanceType) => $"{region}/{availabilityZone}/{instanceType}";

    public static (string Region, string AvailabilityZone, string InstanceType) Parse(string key)
    {
        var parts = key.Split('/');
        return parts.Length == 3 ? (parts[0], parts[1], parts[2]) : throw new ArgumentException($"'{key}' is not region/zone/type.", nameof(key));
    }
}
