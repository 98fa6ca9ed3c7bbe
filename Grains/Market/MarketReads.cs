using Orleans;
using SpotOptimizer.Cloud;
using SpotOptimizer.Grains.Execution;
using SpotOptimizer.Grains.Interfaces.Clusters;
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
    /// How the tenant's zone names map onto the market's, through the zone IDs discovery read from the cluster's account
    /// (the cluster grain keeps them): no call to AWS per run. Only when discovery has none are they asked from AWS; a
    /// role created before ec2:DescribeAvailabilityZones was in the template cannot say, and names are then taken as the
    /// market's, as before zone IDs were known.
    /// </summary>
    public static async Task<ZoneTranslation> ZoneTranslationAsync(this IGrainFactory grains, ICloudProvider cloud, ExecutionScope scope, MarketSnapshot market)
    {
        if (market.ZoneIds is null) return ZoneTranslation.Identity;
        var tenant = await grains.GetGrain<IClusterGrain>(scope.ClusterId).GetZoneIds(scope.OrganizationId)
            ?? await cloud.AccountZoneIdsAsync(scope.Session, scope.Region);
        return ZoneTranslation.Between(market.ZoneIds, tenant);
    }

    /// <summary>The account's zone names → zone IDs asked from AWS now, for when discovery has none; null when the role may not read them.</summary>
    public static async Task<IReadOnlyDictionary<string, string>?> AccountZoneIdsAsync(this ICloudProvider cloud, CloudSession session, string region) =>
        (await AccountInventory.ZonesAsync(cloud, session, region, CancellationToken.None))?.ToDictionary(z => z.ZoneName, z => z.ZoneId, StringComparer.Ordinal);

    /// <summary>
    /// The region's quotes in the tenant's zone names, as the optimize job reads the market: pools renamed through the
    /// zone IDs (<paramref name="tenantZoneIds"/>, as discovery read them), pools in zones the account lacks dropped.
    /// As quoted when either side's IDs are unknown.
    /// </summary>
    public static MarketQuotes ForTenant(this MarketQuotes quotes, IReadOnlyDictionary<string, string>? tenantZoneIds)
    {
        var zones = ZoneTranslation.Between(quotes.ZoneIds, tenantZoneIds);
        if (zones.IsIdentity) return quotes;
        return quotes with
        {
            Pools = [.. quotes.Pools
                .Select(p => (Pool: p, Zone: zones.ToTenant(p.AvailabilityZone)))
                .Where(p => p.Zone is not null)
                .Select(p => p.Pool with { AvailabilityZone = p.Zone! })],
        };
    }

    /// <summary>From a tenant's zone IDs (read at discovery) to the market's names, for reports into the hive mind.</summary>
    public static async Task<ZoneTranslation> ZoneTranslationAsync(this IGrainFactory grains, string region, IReadOnlyDictionary<string, string>? tenantZoneIds) =>
        tenantZoneIds is null
            ? ZoneTranslation.Identity
            : ZoneTranslation.Between(await grains.GetGrain<IMarketGrain>(region).GetZoneIds(), tenantZoneIds);

    /// <summary>
    /// The flags a tenant's decisions honour: the region's shared board and the tenant's own (the pools only its own
    /// uncorroborated reports flagged), one flag per pool, the shared one first.
    /// </summary>
    public static async Task<IReadOnlyList<PoolFlag>> FlagsForAsync(this IGrainFactory grains, string region, string organizationId)
    {
        var shared = await grains.GetGrain<IRiskBoardGrain>(region).GetFlags();
        var own = await grains.GetGrain<IRiskBoardGrain>(RiskBoardKeys.Own(region, HiveReporters.For(organizationId))).GetFlags();
        if (own.Count == 0) return shared;
        var pools = shared.Pools();
        return [.. shared, .. own.Where(f => !pools.Contains(new SpotPoolId(f.AvailabilityZone, f.InstanceType)))];
    }

    /// <summary>The flagged pools, as the selection excludes them.</summary>
    public static IReadOnlySet<SpotPoolId> Pools(this IEnumerable<PoolFlag> flags) =>
        flags.Select(f => new SpotPoolId(f.AvailabilityZone, f.InstanceType)).ToHashSet();
}
