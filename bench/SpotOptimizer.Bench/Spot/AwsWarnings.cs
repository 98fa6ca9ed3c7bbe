namespace SpotOptimizer.Bench.Spot;

/// <summary>A reclaim as the warnings see it: its pool, time (hours since the grid's start) and serial.</summary>
internal readonly record struct Reclaim(int Pool, double Time, int Serial);

/// <summary>
/// An EC2 rebalance recommendation for a pool at <see cref="Time"/>; <see cref="Reclaim"/> is the serial of the reclaim
/// it warns of, or null for a recommendation that no reclaim follows.
/// </summary>
internal readonly record struct RebalanceRecommendation(int Pool, double Time, int? Reclaim);

/// <summary>
/// The interruption process's state per pool and hour, as the warnings read it: <c>tightness</c> = hidden factor ×
/// price jump × (1 + excitation), the pool's capacity tightness nobody sees directly, and the reclaim rate
/// <c>λ = base rate × tightness</c>. NaN where the pool has no price that hour (not on offer).
/// </summary>
internal sealed class ReclaimIntensity(int pools, int fromHour, int toHour, float[] tightness, double[] baseRates)
{
    public int Pools { get; } = pools;

    public int FromHour { get; } = fromHour;

    public int ToHour { get; } = toHour;

    public double Tightness(int pool, int hour) => tightness[(pool * (ToHour - FromHour)) + hour - FromHour];

    /// <summary>Reclaim events per hour in the pool at that hour.</summary>
    public double Rate(int pool, int hour) => baseRates[pool] * Tightness(pool, hour);
}

/// <summary>
/// How the benchmark's AWS words its warnings. AWS publishes no rates for them, so these are stated assumptions, not
/// fitted values (sources in <c>Spot/README.md</c>):
/// <list type="bullet">
/// <item>rebalance recommendations: "can arrive sooner than the two-minute interruption notice", but "it is not always
/// possible … therefore [it] can arrive along with the two-minute notice": <see cref="WarnedShare"/> of reclaims are
/// preceded by one, <see cref="MinLeadHours"/>–<see cref="MaxLeadHours"/> ahead (uniform); the others bring no earlier
/// word than the notice. A recommendation signals "elevated risk", not a reclaim: <see cref="UnfollowedPerReclaim"/>
/// more arrive, with no reclaim after them, at that multiple of the pool's current reclaim rate (so they come where
/// capacity is tight);</item>
/// <item>Spot placement scores (1–10, refreshed hourly): <c>round(CalmScore − ScorePerLogTightness · ln tightness + noise)</c>,
/// clamped to 1–10, noise normal with σ <see cref="ScoreNoise"/>: a calm pool of average depth reads about 9, a pool
/// whose price jumped (×5) about 6, one just after a reclaim with a jump 4 or less.</item>
/// </list>
/// </summary>
internal sealed record WarningModel(
    double WarnedShare = 0.5,
    double MinLeadHours = 10 / 60.0,
    double MaxLeadHours = 1.5,
    double UnfollowedPerReclaim = 1.0,
    double CalmScore = 9,
    double ScorePerLogTightness = 2,
    double ScoreNoise = 1)
{
    public static WarningModel Default { get; } = new();
}

/// <summary>
/// The warnings AWS gives, derived per seed from the interruption process's reclaims and state only (never from a
/// strategy or our model), each from its own random stream so that the reclaims themselves stay as they are.
/// </summary>
internal sealed class AwsWarnings
{
    private readonly sbyte[] _scores;
    private readonly int _fromHour;
    private readonly int _hours;

    private AwsWarnings(RebalanceRecommendation[] rebalances, sbyte[] scores, int fromHour, int hours)
    {
        Rebalances = rebalances;
        _scores = scores;
        _fromHour = fromHour;
        _hours = hours;
    }

    /// <summary>Every rebalance recommendation of the window, by time.</summary>
    public RebalanceRecommendation[] Rebalances { get; }

    /// <summary>The pool's Spot placement score for the hour, or null when the pool is not on offer.</summary>
    public int? PlacementScore(int pool, int hour)
    {
        var score = _scores[(pool * _hours) + hour - _fromHour];
        return score == 0 ? null : score;
    }

    public static AwsWarnings Derive(IReadOnlyList<Reclaim> reclaims, ReclaimIntensity intensity, int seed, WarningModel model)
    {
        ArgumentNullException.ThrowIfNull(reclaims);
        ArgumentNullException.ThrowIfNull(intensity);
        ArgumentNullException.ThrowIfNull(model);
        var from = intensity.FromHour;
        var hours = intensity.ToHour - from;
        var rebalances = new List<RebalanceRecommendation>();
        foreach (var reclaim in reclaims)
        {
            // One draw per reclaim from its serial: whether it is warned early, and how early.
            var random = new Random(Mix(seed, reclaim.Serial, Stream.Warned));
            if (random.NextDouble() >= model.WarnedShare) continue;
            var lead = model.MinLeadHours + ((model.MaxLeadHours - model.MinLeadHours) * random.NextDouble());
            rebalances.Add(new RebalanceRecommendation(reclaim.Pool, Math.Max(from, reclaim.Time - lead), reclaim.Serial));
        }

        var scores = new sbyte[intensity.Pools * hours];
        for (var pool = 0; pool < intensity.Pools; pool++)
        {
            var unfollowed = new Random(Mix(seed, pool, Stream.Unfollowed));
            var noise = new Random(Mix(seed, pool, Stream.Score));
            for (var hour = from; hour < intensity.ToHour; hour++)
            {
                var tightness = intensity.Tightness(pool, hour);
                if (double.IsNaN(tightness)) continue;
                var count = Draws.Poisson(unfollowed, model.UnfollowedPerReclaim * intensity.Rate(pool, hour));
                for (var i = 0; i < count; i++) rebalances.Add(new RebalanceRecommendation(pool, hour + unfollowed.NextDouble(), null));
                scores[(pool * hours) + hour - from] = (sbyte)Score(tightness, Draws.Gaussian(noise), model);
            }
        }

        return new AwsWarnings([.. rebalances.OrderBy(r => r.Time).ThenBy(r => r.Pool)], scores, from, hours);
    }

    /// <summary>The placement score a pool of this tightness reads with this standard normal noise.</summary>
    public static int Score(double tightness, double standardNoise, WarningModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var raw = model.CalmScore - (model.ScorePerLogTightness * Math.Log(tightness)) + (model.ScoreNoise * standardNoise);
        return (int)Math.Clamp(Math.Round(raw, MidpointRounding.AwayFromZero), 1, 10);
    }

    private enum Stream : uint
    {
        Warned = 0x5245_4231,
        Unfollowed = 0x5245_4232,
        Score = 0x5350_5331,
    }

    private static int Mix(int seed, int index, Stream stream) =>
        (int)(Draws.SplitMix(Draws.SplitMix(((ulong)(uint)seed << 32) | (uint)stream) ^ (uint)index) & 0x7FFFFFFF);
}
