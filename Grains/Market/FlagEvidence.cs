using SpotOptimizer.Grains.Interfaces.Market;

namespace SpotOptimizer.Grains.Market;

/// <summary>
/// Whether a pool's reports are strong enough evidence to flag it for every tenant, and why. Pure: the grain passes
/// the live reports, the report at hand and the pool's recent prices.
/// </summary>
public static class FlagEvidence
{
    /// <summary>
    /// AWS's own word (an EventBridge event, a DescribeSpotInstanceRequests notice) first; then claims from at least
    /// <paramref name="distinctNeeded"/> distinct tenants; null when neither holds (a price jump may still back it:
    /// <see cref="PriceJump"/>, asked separately because it needs the market grain).
    /// </summary>
    public static string? Corroboration(string source, IEnumerable<string> liveReporters, int distinctNeeded)
    {
        if (source == InterruptionSources.AwsEvent) return FlagReasons.AwsEvent;
        if (source == InterruptionSources.Discovery) return FlagReasons.DiscoveryNotice;
        var distinct = liveReporters.Distinct(StringComparer.Ordinal).Count();
        return distinct >= Math.Max(1, distinctNeeded) ? $"{FlagReasons.DistinctTenants}:{distinct}" : null;
    }

    /// <summary>
    /// The rise of the pool's current price over the median of its previous <paramref name="lookbackHours"/> hourly
    /// prices when it is at least <paramref name="ratio"/>; null otherwise, for a stale price, or with fewer than three
    /// hours to compare against (a pool just seen has no baseline, and no evidence).
    /// </summary>
    public static double? PriceJump(PoolPriceHistory? prices, int lookbackHours, double ratio)
    {
        if (prices is null || prices.Stale || prices.Recent.Count < 4) return null;
        var baseline = prices.Recent.Take(prices.Recent.Count - 1).TakeLast(lookbackHours).Select(p => p.PricePerHour).Order().ToList();
        var median = baseline.Count % 2 == 1 ? baseline[baseline.Count / 2] : (baseline[(baseline.Count / 2) - 1] + baseline[baseline.Count / 2]) / 2;
        if (median <= 0) return null;
        var rise = (prices.PricePerHour / median) - 1;
        return rise >= ratio ? rise : null;
    }

    public static string PriceJumpReason(double rise) => $"{FlagReasons.PriceJump}:+{Math.Round(rise * 100, MidpointRounding.AwayFromZero):0}%";
}
