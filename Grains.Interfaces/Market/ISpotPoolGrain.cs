using Orleans;
using Orleans.Concurrency;

namespace SpotOptimizer.Grains.Interfaces.Market;

/// <summary>
/// One Spot capacity pool, keyed by <see cref="SpotPoolKeys.For"/> (region/zone/type), shared by every tenant: its
/// recent prices, how often it was interrupted, and the hive mind's risk flag. The flag rises for every tenant (on the
/// region's <see cref="IRiskBoardGrain"/>) only on strong evidence (<see cref="FlagReasons"/>); a lone tenant's claim
/// flags the pool for that tenant only (its own board, <see cref="RiskBoardKeys.Own"/>). Reports carry an opaque
/// reporter id, never the tenant, and views show only how many reporters there were.
/// </summary>
public interface ISpotPoolGrain : IGrainWithStringKey
{
    /// <summary>
    /// Counts the report and raises the flag its evidence earns. The answer carries the counts and the flag only (no
    /// prices): a corroborated report must not wait for the market grain; only a lone tenant's claim reads the pool's
    /// recent prices, to see whether a price jump backs it. <see cref="Get"/> has the prices.
    /// </summary>
    Task<SpotPoolView> ReportInterruption(InterruptionReport report);

    [ReadOnly]
    Task<SpotPoolView> Get();
}

/// <param name="Kind">
/// interruption (a full report) or rebalance_recommendation (an early warning: it flags the pool for a shorter time,
/// <c>MarketOptions.RebalanceFlagWeight</c>).
/// </param>
/// <param name="Reporter">The reporting tenant's <see cref="HiveReporters.For"/> id: stable, opaque, never shown.</param>
/// <param name="Source">Where the report comes from (<see cref="InterruptionSources"/>): AWS's own word, or an agent's claim.</param>
[GenerateSerializer, Immutable]
public sealed record InterruptionReport(string InstanceId, string Kind, DateTimeOffset NoticeTime, string Reporter, string Source);

/// <summary>
/// Where a report comes from. EventBridge events and DescribeSpotInstanceRequests notices are AWS speaking about the
/// tenant's own account: corroborated. An agent's report is the tenant's claim: it counts for everyone only with
/// other tenants' claims or a price jump behind it.
/// </summary>
public static class InterruptionSources
{
    public const string Agent = "agent";
    public const string Discovery = "discovery";
    public const string AwsEvent = "aws_event";

    public static bool IsCorroborated(string source) => source is Discovery or AwsEvent;
}

/// <summary>Why a pool is flagged: the code, then what backs it after a colon (<c>distinct_tenants:3</c>, <c>price_jump:+35%</c>).</summary>
public static class FlagReasons
{
    public const string AwsEvent = "aws_event";
    public const string DiscoveryNotice = "discovery_notice";
    public const string DistinctTenants = "distinct_tenants";
    public const string PriceJump = "price_jump";

    /// <summary>On a tenant's own board: its own uncorroborated report.</summary>
    public const string OwnReport = "own_report";

    public static string Code(string reason)
    {
        var colon = reason.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? reason : reason[..colon];
    }
}

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

    /// <summary>Why the shared flag is in force (<see cref="FlagReasons"/>); null when not flagged for everyone.</summary>
    [Id(11)]
    public string? FlagReason { get; init; }

    /// <summary>How many distinct tenants reported the pool within the flag lifetime (a count, never who).</summary>
    [Id(12)]
    public int Reporters { get; init; }

    /// <summary>In the answer to a report only: until when the reporter's own board flags the pool (its claim was not corroborated).</summary>
    [Id(13)]
    public DateTimeOffset? OwnFlaggedUntil { get; init; }
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
