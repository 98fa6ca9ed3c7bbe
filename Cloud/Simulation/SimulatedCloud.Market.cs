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

    /// <summary>
    /// The price changes of the given types in [Start, End) as the account sees them (its zone names), plus the change in
    /// force at Start, newest first: what EC2 DescribeSpotPriceHistory answers a caller of the account allowed to ask (the
    /// wire authorizes the caller first). The customer's role is not: the product reads prices with its own identity.
    /// </summary>
    public async Task<IReadOnlyList<SpotPrice>> SpotPriceHistoryAsync(string accountId, string region, SpotPriceQuery query, CancellationToken cancellationToken = default)
    {
        if (query.End <= query.Start) throw new CloudException(CloudErrorCodes.InvalidRequest, "The end time must be after the start time.");
        var scope = await AccountScopeAsync(accountId, region, cancellationToken);
        return Pools(scope, query.InstanceTypes, query.AvailabilityZones)
            .SelectMany(p => _prices.Between(p.PriceZone, p.Type, query.Start, query.End).Select(price => AsSeenBy(price, p.Zone)))
            .OrderByDescending(p => p.Timestamp).ThenBy(p => p.AvailabilityZone, StringComparer.Ordinal).ThenBy(p => p.InstanceType, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>The price in force now for every pool of the given types, as the account sees them (its zone names).</summary>
    public async Task<IReadOnlyList<SpotPrice>> CurrentSpotPricesAsync(string accountId, string region, IReadOnlyList<string> instanceTypes,
        CancellationToken cancellationToken = default)
    {
        var scope = await AccountScopeAsync(accountId, region, cancellationToken);
        return Pools(scope, instanceTypes, null)
            .Select(p => _prices.At(p.PriceZone, p.Type, scope.Now) is { } price ? AsSeenBy(price, p.Zone) : null).OfType<SpotPrice>().ToList();
    }

    /// <summary>The account's view of a region now, with no role: the world's own reading, not a call.</summary>
    private async Task<Scope> AccountScopeAsync(string accountId, string region, CancellationToken cancellationToken)
    {
        var world = (await _store.ReadAsync(cancellationToken)).World;
        var account = world.FindAccount(accountId) ?? SimulatedAccount.Empty(accountId);
        return new Scope(world, account, account.FindRegion(region) ?? SimulatedRegion.Empty(region), null, _time.GetUtcNow());
    }

    private sealed class SpotMarketView(SimulatedCloud cloud) : ISpotMarket
    {
        public Task<IReadOnlyList<SpotPlacementScore>> GetPlacementScoresAsync(CloudSession session, string region, PlacementScoreQuery query,
            CancellationToken cancellationToken = default) =>
            cloud.PlacementScoresAsync(session, region, query, cancellationToken);
    }
}
