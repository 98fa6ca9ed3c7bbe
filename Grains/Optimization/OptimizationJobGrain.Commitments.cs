using SpotOptimizer.Grains.Insights;
using SpotOptimizer.Grains.Interfaces.Clusters;
using SpotOptimizer.Optimization.Cluster;
using SpotOptimizer.Optimization.Commitments;
using SpotOptimizer.Optimization.Market;
using SpotOptimizer.Optimization.Selection;

namespace SpotOptimizer.Grains.Optimization;

public sealed partial class OptimizationJobGrain
{
    /// <summary>
    /// The On-Demand nodes of this cluster the organization's Reserved Instances and Savings Plans pay for now:
    /// CORE-DECIDE leaves them alone. Coverage runs over every managed cluster's On-Demand nodes (this one's as just
    /// described), as one Savings Plan pays across clusters.
    /// </summary>
    private async Task<IReadOnlySet<string>> CoveredAsync(IReadOnlyList<ClusterNode> nodes, string region, MarketSnapshot market)
    {
        var declared = await commitments.ListAsync(S.OrganizationId!, CancellationToken.None);
        if (declared.Count == 0) return new HashSet<string>(StringComparer.Ordinal);
        var managed = await GrainFactory.GetGrain<IOrganizationGrain>(S.OrganizationId!).GetManagedClusters();
        var others = await OrganizationFleet.GatherAsync(GrainFactory, S.OrganizationId!, managed.Where(id => id != S.ClusterId));
        var markets = await OrganizationFleet.MarketsAsync(GrainFactory, others.Select(f => f.Region));
        var prices = market.OnDemand.ToDictionary(o => o.Type.Name, o => o.PricePerHour, StringComparer.Ordinal);
        var usage = nodes.Where(n => n.Purchase == PurchaseOption.OnDemand && prices.ContainsKey(n.InstanceType))
            .Select(n => new OnDemandUsage(n.InstanceId, n.InstanceType, region, n.AvailabilityZone, prices[n.InstanceType])).ToList();
        usage.AddRange(others.SelectMany(f => CommitmentMapping.OnDemandUsage(
            f.Nodes.Select(n => (n.InstanceId, n.InstanceType, n.Zone, n.Purchase == PurchaseOption.OnDemand)), f.Region, markets.GetValueOrDefault(f.Region))));
        var own = nodes.Select(n => n.InstanceId).ToHashSet(StringComparer.Ordinal);
        return CommitmentCoverage.Compute(usage, CommitmentMapping.ToModel(declared), time.GetUtcNow()).CoveredInstanceIds.Where(own.Contains).ToHashSet(StringComparer.Ordinal);
    }
}
