using SpotOptimizer.Cloud;
using SpotOptimizer.Optimization.Market;

namespace SpotOptimizer.Grains.Market;

/// <summary>Where the market grains get their data: public Spot prices, the Spot Advisor, the type catalog and On-Demand prices.</summary>
public interface IMarketFeed
{
    /// <summary>The current Spot price of every pool the feed knows in <paramref name="region"/>.</summary>
    Task<IReadOnlyList<SpotPrice>> GetSpotPricesAsync(string region, CancellationToken cancellationToken);

    /// <summary>Instance types, On-Demand prices and Spot Advisor buckets of <paramref name="region"/> (refreshed every six hours).</summary>
    Task<MarketReference> GetReferenceAsync(string region, CancellationToken cancellationToken);
}

/// <param name="Source">Where the buckets came from, for the market status.</param>
public sealed record MarketReference(
    IReadOnlyList<InstanceTypeInfo> Types,
    IReadOnlyDictionary<string, double> OnDemandPrices,
    IReadOnlyDictionary<string, int> Buckets,
    string Source)
{
    /// <summary>
    /// The feed's zones with their IDs: the names the feed's prices use are its own account's, so tenants' zone names
    /// are translated through the IDs. Null when the feed cannot say (names are then taken as everyone's).
    /// </summary>
    public IReadOnlyList<AvailabilityZone>? Zones { get; init; }
}
