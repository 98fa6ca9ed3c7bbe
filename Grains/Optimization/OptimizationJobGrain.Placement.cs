using SpotOptimizer.Grains.Interfaces.Clusters;
using SpotOptimizer.Grains.Market;
using SpotOptimizer.Optimization.Cluster;
using SpotOptimizer.Optimization.Market;

namespace SpotOptimizer.Grains.Optimization;

/// <summary>
/// AWS's Spot placement scores for the job's candidate types, read once per run (and per account and region within
/// the hour, <see cref="PlacementScoreReader"/>), passed into every Spot decision of the plan. A read, so it runs
/// whatever SAFE_MODE or the cluster's dry run say; absent scores only add a note.
/// </summary>
public sealed partial class OptimizationJobGrain
{
    private async Task<PlacementScoreReading> PlacementScoresAsync(JobContext context, IClusterGrain cluster, MarketSnapshot market,
        IReadOnlyList<ClusterNode> nodes, IReadOnlyList<string>? families)
    {
        // The decisions only place nodes on their own architectures, in the policy's families when it names them.
        var running = nodes.Select(n => n.InstanceType).ToHashSet(StringComparer.Ordinal);
        var architectures = market.Pools.Where(p => running.Contains(p.Pool.InstanceType)).Select(p => p.Type.Architecture).ToHashSet();
        var allowed = families?.ToHashSet(StringComparer.Ordinal);
        var candidates = market.Pools.Select(p => p.Type)
            .Where(t => architectures.Contains(t.Architecture) && (allowed is null || allowed.Contains(t.Family)));
        var queries = PlacementScoreSets.For(candidates, running, nodes.Count);
        var zoneIds = queries.Count == 0 ? null
            : await cluster.GetZoneIds(S.OrganizationId!) ?? await cloud.AccountZoneIdsAsync(context.Scope.Session, context.Inputs.Region);
        return await placementScores.ReadAsync(context.Scope.Session, context.Inputs.Region, queries, zoneIds, CancellationToken.None);
    }
}
