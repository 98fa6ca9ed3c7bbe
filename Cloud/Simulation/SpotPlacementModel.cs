namespace SpotOptimizer.Cloud.Simulation;

/// <summary>
/// The simulator's Spot placement scores, as AWS's GetSpotPlacementScores answers them per zone: how much spare Spot
/// capacity the zone has for a set of types, against the capacity asked. Each (zone ID, type) pool has a spare depth
/// drawn from a hash of (seed, pool, 6-hour step), so a seed fixes every score at every instant; each Spot
/// interruption in the pool during the last day halves it and each rebalance recommendation takes a quarter (the
/// world's own reclaims say capacity is short). The set's capacity is its pools' sum, as capacity-optimized draws on
/// all of them. Nothing here reads the product's risk model: the scores are the world's, like its prices.
/// </summary>
internal static class SpotPlacementModel
{
    public static readonly TimeSpan Step = TimeSpan.FromHours(6);

    /// <summary>How long a reclaim weighs on a pool's score.</summary>
    public static readonly TimeSpan Memory = TimeSpan.FromDays(1);

    /// <summary>
    /// The deepest pool, in instances. Depths are the square of a uniform draw (skewed towards shallow): a set of three
    /// types then scores below 7 in about 2 % of zones for 4 instances, 6 % for 8 and 16 % for 16, before any reclaim.
    /// </summary>
    private const double MaxDepth = 300;

    /// <summary>AWS: with fewer than three types the score "will always be low".</summary>
    private const int FewTypesCeiling = 3;

    /// <summary>The score of a set of types in one physical zone for <paramref name="targetCapacity"/> instances.</summary>
    /// <param name="reclaims">The pool's interruptions and rebalance recommendations, by (zone ID, type).</param>
    public static int Score(int seed, string zoneId, IReadOnlyCollection<string> instanceTypes, int targetCapacity, DateTimeOffset now,
        IReadOnlyDictionary<(string ZoneId, string Type), (int Interruptions, int Rebalances)> reclaims)
    {
        var capacity = instanceTypes.Sum(type => Depth(seed, zoneId, type, now, reclaims.GetValueOrDefault((zoneId, type))));
        var ratio = capacity / Math.Max(1, targetCapacity);
        // Spare capacity 8× the request scores about 6, 16× about 9: a request the zone could serve only once over is a 1.
        var score = Math.Clamp((int)Math.Round(10 * (1 - Math.Exp(-ratio / 8))), 1, 10);
        return instanceTypes.Count < FewTypesCeiling ? Math.Min(score, FewTypesCeiling) : score;
    }

    /// <summary>The pool's spare instances now: unknown types have none.</summary>
    private static double Depth(int seed, string zoneId, string type, DateTimeOffset now, (int Interruptions, int Rebalances) reclaims)
    {
        if (InstanceCatalog.Find(type) is null) return 0;
        var step = Math.DivRem(now.UtcTicks, Step.Ticks, out var rest) - (rest < 0 ? 1 : 0);
        var draw = SpotPriceModel.Unit(SpotPriceModel.Mix((ulong)seed ^ 0x5350535F53434F52UL, SpotPriceModel.Fnv1a(zoneId + "/" + type), (ulong)step));
        return MaxDepth * draw * draw * Math.Pow(0.5, reclaims.Interruptions) * Math.Pow(0.75, reclaims.Rebalances);
    }
}
