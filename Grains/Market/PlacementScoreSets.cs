using SpotOptimizer.Cloud;
using SpotOptimizer.Optimization.Market;

namespace SpotOptimizer.Grains.Market;

/// <summary>
/// Which GetSpotPlacementScores configurations a job asks, and how their answers become per-pool scores.
/// <para>
/// One call per instance family, not per type: AWS scores a request of fewer than three types "always low", so a
/// per-type call would say nothing, and every distinct configuration (types, capacity) counts against the number of
/// new configurations AWS may allow an account per 24 hours — repeating one already asked stays allowed. A family's
/// sizes share its hardware, so the family's score per zone is applied to each of its types there. Families with fewer
/// than three candidate types are asked together as one set (its score applied to each of them); when even that set
/// has fewer than three, they stay unscored (the model's risk alone). At most <see cref="MaxSets"/> sets per job, the
/// families the cluster already runs first, so the same cluster asks the same few configurations job after job.
/// </para>
/// </summary>
public static class PlacementScoreSets
{
    public const int MaxSets = 10;

    /// <param name="candidateTypes">The types the job's decisions could place nodes on.</param>
    /// <param name="runningTypes">The cluster's current nodes' types: their families are asked first.</param>
    /// <param name="nodes">The cluster's node count: the most one job could place.</param>
    public static IReadOnlyList<PlacementScoreQuery> For(IEnumerable<InstanceTypeInfo> candidateTypes, IEnumerable<string> runningTypes, int nodes)
    {
        var capacity = TargetCapacity(nodes);
        var families = candidateTypes.DistinctBy(t => t.Name).GroupBy(t => t.Family, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(t => t.Name).Order(StringComparer.Ordinal).ToList(), StringComparer.Ordinal);
        var running = runningTypes.Select(InstanceTypeInfo.FamilyOf).ToHashSet(StringComparer.Ordinal);
        var ordered = families.Keys.OrderBy(f => running.Contains(f) ? 0 : 1).ThenBy(f => f, StringComparer.Ordinal).ToList();

        var sets = ordered.Where(f => families[f].Count >= PlacementScoreQuery.MinInstanceTypes).Select(f => families[f]).ToList();
        var rest = ordered.Where(f => families[f].Count < PlacementScoreQuery.MinInstanceTypes).SelectMany(f => families[f]).ToList();
        if (rest.Count >= PlacementScoreQuery.MinInstanceTypes) sets.Add([.. rest.Take(PlacementScoreQuery.MaxInstanceTypes)]);
        return [.. sets.Take(MaxSets).Select(types => new PlacementScoreQuery(types, capacity))];
    }

    /// <summary>
    /// The cluster's node count rounded up to a power of two: the job moves at most that many nodes, and a cluster
    /// growing or shrinking by a node keeps asking the same configuration.
    /// </summary>
    public static int TargetCapacity(int nodes) => (int)Math.Min(1 << 20, System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(1, nodes)));

    /// <summary>
    /// Each set's per-zone scores applied to each of its types, in the tenant's zone names (<paramref name="zoneNamesById"/>);
    /// zones the account does not have are dropped.
    /// </summary>
    public static IReadOnlyDictionary<SpotPoolId, int> ByPool(IEnumerable<(PlacementScoreQuery Query, IReadOnlyList<SpotPlacementScore> Scores)> answers,
        IReadOnlyDictionary<string, string> zoneNamesById)
    {
        var byPool = new Dictionary<SpotPoolId, int>();
        foreach (var (query, scores) in answers)
        {
            foreach (var score in scores)
            {
                if (!zoneNamesById.TryGetValue(score.AvailabilityZoneId, out var zone)) continue;
                foreach (var type in query.InstanceTypes) byPool[new SpotPoolId(zone, type)] = score.Score;
            }
        }

        return byPool;
    }
}
