using Orleans;
using SpotOptimizer.Cloud;
using SpotOptimizer.Grains.Interfaces.Market;
using SpotOptimizer.Optimization.Market;

namespace SpotOptimizer.Grains.Market;

/// <summary>How grains that decide (the optimize job, Lab experiments) read a region's market and the hive mind's flags.</summary>
public static class MarketReads
{
    /// <summary>The region's market as the decision engine reads it; null before its first quotes.</summary>
    public static async Task<MarketSnapshot?> MarketSnapshotAsync(this IGrainFactory grains, string region) =>
        await grains.GetGrain<IMarketGrain>(region).QuotesAsync() is { } quotes ? MarketQuotesMapping.ToSnapshot(quotes) : null;

    /// <summary>
    /// How the tenant's zone names map onto the market's, through the zone IDs its account reports
    /// (EC2 DescribeAvailabilityZones). A role created before that action was in the template cannot say: names are
    /// then taken as the market's, as before zone IDs were known.
    /// </summary>
    public static async Task<ZoneTranslation> ZoneTranslationAsync(this ICloudProvider cloud, CloudSession session, string region, MarketSnapshot market)
    {
        if (market.ZoneIds is null) return ZoneTranslation.Identity;
        IReadOnlyList<AvailabilityZone> zones;
        try
        {
            zones = await cloud.Ec2.DescribeAvailabilityZonesAsync(session, region, CancellationToken.None);
        }
        catch (CloudException exception) when (exception.Code == CloudErrorCodes.MissingPermission(CloudActions.DescribeAvailabilityZones))
        {
            return ZoneTranslation.Identity;
        }

        return ZoneTranslation.Between(market.ZoneIds, zones.ToDictionary(z => z.ZoneName, z => z.ZoneId, StringComparer.Ordinal));
    }

    /// <summary>From a tenant's zone IDs (read at discovery) to the market's names, for reports into the hive mind.</summary>
    public static async Task<ZoneTranslation> ZoneTranslationAsync(this IGrainFactory grains, string region, IReadOnlyDictionary<string, string>? tenantZoneIds) =>
        tenantZoneIds is null
            ? ZoneTranslation.Identity
            : ZoneTranslation.Between(await grains.GetGrain<IMarketGrain>(region).GetZoneIds(), tenantZoneIds);

    /// <summary>The flagged pools, as the selection excludes them.</summary>
    public static IReadOnlySet<SpotPoolId> Pools(this IEnumerable<PoolFlag> flags) =>
        flags.Select(f => new SpotPoolId(f.AvailabilityZone, f.InstanceType)).ToHashSet();
}
