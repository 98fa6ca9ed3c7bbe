using Orleans;
using SpotOptimizer.Grains.Interfaces.Market;
using SpotOptimizer.Optimization.Market;

namespace SpotOptimizer.Grains.Market;

/// <summary>How grains that decide (the optimize job, Lab experiments) read a region's market and the hive mind's flags.</summary>
public static class MarketReads
{
    /// <summary>The region's market as the decision engine reads it; null before its first quotes.</summary>
    public static async Task<MarketSnapshot?> MarketSnapshotAsync(this IGrainFactory grains, string region) =>
        await grains.GetGrain<IMarketGrain>(region).QuotesAsync() is { } quotes ? MarketQuotesMapping.ToSnapshot(quotes) : null;

    /// <summary>The flagged pools, as the selection excludes them.</summary>
    public static IReadOnlySet<SpotPoolId> Pools(this IEnumerable<PoolFlag> flags) =>
        flags.Select(f => new SpotPoolId(f.AvailabilityZone, f.InstanceType)).ToHashSet();
}
