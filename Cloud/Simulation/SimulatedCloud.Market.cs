namespace SpotOptimizer.Cloud.Simulation;

/// <summary>
/// The Spot market: prices per (AZ, type) pool from <see cref="SpotPriceModel"/>, or from <see cref="ReplayedSpotPrices"/>
/// when a price-history file is configured. Pools are the world's zones of the region (where instances can launch)
/// with the types the source prices there.
/// </summary>
public sealed partial class SimulatedCloud
{
    private IEnumerable<(string Zone, string Type)> Pools(Scope scope, IEnumerable<string> instanceTypes, IReadOnlyList<string>? zones) =>
        from type in instanceTypes
        from zone in scope.Region.AvailabilityZones
        where zones is null || zones.Contains(zone)
        select (zone, type);

    private sealed class SpotMarketView(SimulatedCloud cloud) : ISpotMarket
    {
        public Task<IReadOnlyList<SpotPrice>> GetPriceHistoryAsync(CloudSession session, string region, SpotPriceQuery query, CancellationToken cancellationToken = default) =>
            cloud.RunAs<IReadOnlyList<SpotPrice>>(session, CloudActions.DescribeSpotPriceHistory, region,
                $"types={string.Join(',', query.InstanceTypes)} start={query.Start:O} end={query.End:O}", cancellationToken, scope =>
                {
                    if (query.End <= query.Start) throw new CloudException(CloudErrorCodes.InvalidRequest, "The end time must be after the start time.");
                    return cloud.Pools(scope, query.InstanceTypes, query.AvailabilityZones)
                        .SelectMany(p => cloud._prices.Between(p.Zone, p.Type, query.Start, query.End))
                        .OrderByDescending(p => p.Timestamp).ThenBy(p => p.AvailabilityZone, StringComparer.Ordinal).ThenBy(p => p.InstanceType, StringComparer.Ordinal)
                        .ToList();
                });

        public Task<IReadOnlyList<SpotPrice>> GetCurrentPricesAsync(CloudSession session, string region, IReadOnlyList<string> instanceTypes, CancellationToken cancellationToken = default) =>
            cloud.RunAs<IReadOnlyList<SpotPrice>>(session, CloudActions.DescribeSpotPriceHistory, region, $"types={string.Join(',', instanceTypes)} current", cancellationToken,
                scope => cloud.Pools(scope, instanceTypes, null).Select(p => cloud._prices.At(p.Zone, p.Type, scope.Now)).OfType<SpotPrice>().ToList());
    }
}
