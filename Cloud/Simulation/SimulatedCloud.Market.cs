namespace SpotOptimizer.Cloud.Simulation;

/// <summary>
/// The Spot market: prices per (AZ, type) pool from <see cref="SpotPriceModel"/>, or from <see cref="ReplayedSpotPrices"/>
/// when a price-history file is configured. Pools are the world's zones of the region (where instances can launch)
/// with the types the source prices there.
/// </summary>
public sealed partial class SimulatedCloud
{
    /// <summary>The account's pools, each with the market view's name of its physical zone (where its prices are kept).</summary>
    private static IEnumerable<(string Zone, string Type, string PriceZone)> Pools(Scope scope, IEnumerable<string> instanceTypes, IReadOnlyList<string>? zones)
    {
        var priced = scope.Region.AvailabilityZones
            .Where(zone => zones is null || zones.Contains(zone))
            .Select(zone => (Zone: zone, PriceZone: PhysicalZone(scope.World, scope.Account.AccountId, scope.Region.Name, zone)))
            .Where(z => z.PriceZone is not null)
            .ToList();
        return from type in instanceTypes from z in priced select (z.Zone, type, z.PriceZone!);
    }

    /// <summary>A price kept under the market view's zone name, quoted in the account's own name for that zone.</summary>
    private static SpotPrice AsSeenBy(SpotPrice price, string zone) => price.AvailabilityZone == zone ? price : price with { AvailabilityZone = zone };

    private sealed class SpotMarketView(SimulatedCloud cloud) : ISpotMarket
    {
        public Task<IReadOnlyList<SpotPrice>> GetPriceHistoryAsync(CloudSession session, string region, SpotPriceQuery query, CancellationToken cancellationToken = default) =>
            cloud.RunAs<IReadOnlyList<SpotPrice>>(session, CloudActions.DescribeSpotPriceHistory, region,
                $"types={string.Join(',', query.InstanceTypes)} start={query.Start:O} end={query.End:O}", cancellationToken, scope =>
                {
                    if (query.End <= query.Start) throw new CloudException(CloudErrorCodes.InvalidRequest, "The end time must be after the start time.");
                    return Pools(scope, query.InstanceTypes, query.AvailabilityZones)
                        .SelectMany(p => cloud._prices.Between(p.PriceZone, p.Type, query.Start, query.End).Select(price => AsSeenBy(price, p.Zone)))
                        .OrderByDescending(p => p.Timestamp).ThenBy(p => p.AvailabilityZone, StringComparer.Ordinal).ThenBy(p => p.InstanceType, StringComparer.Ordinal)
                        .ToList();
                });

        public Task<IReadOnlyList<SpotPrice>> GetCurrentPricesAsync(CloudSession session, string region, IReadOnlyList<string> instanceTypes, CancellationToken cancellationToken = default) =>
            cloud.RunAs<IReadOnlyList<SpotPrice>>(session, CloudActions.DescribeSpotPriceHistory, region, $"types={string.Join(',', instanceTypes)} current", cancellationToken,
                scope => Pools(scope, instanceTypes, null)
                    .Select(p => cloud._prices.At(p.PriceZone, p.Type, scope.Now) is { } price ? AsSeenBy(price, p.Zone) : null).OfType<SpotPrice>().ToList());

        public Task<IReadOnlyList<SpotPlacementScore>> GetPlacementScoresAsync(CloudSession session, string region, PlacementScoreQuery query,
            CancellationToken cancellationToken = default) =>
            cloud.PlacementScoresAsync(session, region, query, cancellationToken);
    }
}
