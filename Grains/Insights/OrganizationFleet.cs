using SpotOptimizer.Grains.Interfaces.Clusters;
using SpotOptimizer.Grains.Interfaces.Market;
using SpotOptimizer.Grains.Market;
using SpotOptimizer.Optimization.Commitments;
using SpotOptimizer.Optimization.Savings;
using SpotOptimizer.Optimization.Selection;
using Orleans;

namespace SpotOptimizer.Grains.Insights;

/// <param name="Source">"agent_inventory" when the agent has reported, else "discovery" (the AWS view).</param>
/// <param name="Version">What moves when the nodes change: the inventory version, or a digest of discovery's nodes.</param>
/// <param name="Policy">The cluster's policy at <paramref name="PolicyVersion"/> (headroom, binpack aggressiveness).</param>
/// <param name="ZoneIds">The account's zone names → zone IDs as discovery read them: its nodes are priced in the market's zone of the same ID.</param>
public sealed record ClusterFleet(
    string ClusterId, string Region, string Source, string Version, int PolicyVersion, ClusterPolicy Policy, IReadOnlyList<FleetNode> Nodes, AgentInventory? Inventory,
    IReadOnlyDictionary<string, string>? ZoneIds = null)
{
    /// <summary>The region's market in this cluster's zone names (as the optimize job reads it); null without one.</summary>
    public MarketQuotes? MarketOf(IReadOnlyDictionary<string, MarketQuotes?> markets) => markets.GetValueOrDefault(Region)?.ForTenant(ZoneIds);
}

/// <summary>
/// The organization's managed clusters' nodes, each from the agent's latest inventory when there is one, else from
/// discovery. Commitments are the organization's, so their coverage is computed over all of its clusters at once
/// (computed per cluster, one Savings Plan would pay for nodes in every cluster).
/// </summary>
public static class OrganizationFleet
{
    public const string AgentInventory = "agent_inventory";
    public const string Discovery = "discovery";

    public static async Task<IReadOnlyList<ClusterFleet>> GatherAsync(IGrainFactory grains, string organizationId, IEnumerable<string> clusterIds)
    {
        var fleets = new List<ClusterFleet>();
        foreach (var clusterId in clusterIds.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            var cluster = grains.GetGrain<IClusterGrain>(clusterId);
            if (await cluster.Get(organizationId) is not { } view) continue;
            var policy = await cluster.GetPolicy(organizationId);
            var zoneIds = await cluster.GetZoneIds(organizationId);
            if (await cluster.GetInventory(organizationId) is { Inventory: { } inventory } reported)
            {
                fleets.Add(new ClusterFleet(clusterId, view.Region, AgentInventory, $"inventory-{reported.Version}", policy?.PolicyVersion ?? 0, policy?.Policy ?? ClusterPolicy.Default,
                    [.. inventory.Nodes.Select(n => new FleetNode(clusterId, n.InstanceId, n.InstanceType, n.AvailabilityZone, Purchase(n.CapacityType)))], inventory, zoneIds));
                continue;
            }

            var nodes = await cluster.GetNodes(organizationId) ?? [];
            var digest = string.Join(';', nodes.Select(n => $"{n.InstanceId}:{n.InstanceType}:{n.AvailabilityZone}:{n.Lifecycle}").Order(StringComparer.Ordinal));
            fleets.Add(new ClusterFleet(clusterId, view.Region, Discovery, $"discovery-{digest}", policy?.PolicyVersion ?? 0, policy?.Policy ?? ClusterPolicy.Default,
                [.. nodes.Select(n => new FleetNode(clusterId, n.InstanceId, n.InstanceType, n.AvailabilityZone, Purchase(n.Lifecycle)))], null, zoneIds));
        }

        return fleets;
    }

    /// <summary>Each region's market once; a region whose market never loaded is started and asked again.</summary>
    public static async Task<Dictionary<string, MarketQuotes?>> MarketsAsync(IGrainFactory grains, IEnumerable<string> regions)
    {
        var markets = new Dictionary<string, MarketQuotes?>(StringComparer.Ordinal);
        foreach (var region in regions.Distinct(StringComparer.Ordinal))
        {
            markets[region] = await grains.GetGrain<IMarketGrain>(region).QuotesAsync();
        }

        return markets;
    }

    /// <summary>The commitments' coverage of every On-Demand node of the organization's fleets, at their regions' list prices.</summary>
    public static CoverageResult Coverage(
        IReadOnlyList<ClusterFleet> fleets, IReadOnlyDictionary<string, MarketQuotes?> markets, IReadOnlyList<Commitment> commitments, DateTimeOffset now)
    {
        if (commitments.Count == 0) return CoverageResult.None;
        var usage = fleets.SelectMany(f => CommitmentMapping.OnDemandUsage(
            f.Nodes.Select(n => (n.InstanceId, n.InstanceType, n.Zone, n.Purchase == PurchaseOption.OnDemand)), f.Region, markets.GetValueOrDefault(f.Region))).ToList();
        return CommitmentCoverage.Compute(usage, commitments, now);
    }

    private static PurchaseOption Purchase(string capacityType) => capacityType == "spot" ? PurchaseOption.Spot : PurchaseOption.OnDemand;
}
