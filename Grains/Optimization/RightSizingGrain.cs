using SpotOptimizer.Grains.Interfaces.Clusters;
using SpotOptimizer.Grains.Interfaces.Market;
using SpotOptimizer.Grains.Interfaces.Optimization;
using SpotOptimizer.Grains.Market;
using SpotOptimizer.Optimization.RightSizing;
using Orleans;

namespace SpotOptimizer.Grains.Optimization;

/// <summary>
/// Reads the cluster's inventory and its region's market, asks <see cref="RightSizer"/>, and keeps the answer until
/// the inventory's version or the market's prices move: a dashboard polling it costs no recomputation. Holds no
/// state worth persisting; it writes nothing and applies nothing.
/// </summary>
public sealed class RightSizingGrain : Grain, IRightSizingGrain
{
    private readonly SizingPolicy _policy = SizingPolicy.Default;
    private (int Version, DateTimeOffset? PricesAt, RightSizingView View)? _last;

    public async Task<RightSizingView?> GetRecommendations(string organizationId)
    {
        var clusterId = this.GetPrimaryKeyString();
        var cluster = GrainFactory.GetGrain<IClusterGrain>(clusterId);
        // Every call asks the cluster first, so the tenant check never comes from the cache.
        if (await cluster.GetInventory(organizationId) is not { } inventory || await cluster.Get(organizationId) is not { } view) return null;
        if (inventory.Inventory is null) return RightSizingMapping.NoInventory(clusterId, inventory.Version, _policy);

        var quotes = await GrainFactory.GetGrain<IMarketGrain>(view.Region).QuotesAsync();
        if (_last is { } last && last.Version == inventory.Version && last.PricesAt == quotes?.At) return last.View;

        // Spot nodes are priced in the market's zone of the same ID (the account names its zones its own way).
        var (priced, unpriced) = RightSizingMapping.PriceNodes(inventory.Inventory.Nodes, quotes?.ForTenant(await cluster.GetZoneIds(organizationId)));
        var prices = ResourcePricing.Split(priced);
        var report = RightSizer.Recommend(RightSizingMapping.Workloads(inventory.Inventory), prices, _policy);
        var result = RightSizingMapping.ToView(clusterId, inventory, _policy, report, prices, priced.Count, unpriced);
        _last = (inventory.Version, quotes?.At, result);
        return result;
    }
}
