using SpotOptimizer.Optimization.Market;

namespace SpotOptimizer.Optimization.Risk;

/// <summary>
/// AWS's Spot placement scores (<c>GetSpotPlacementScores</c>, 1–10 per zone: how likely a Spot request of that shape
/// succeeds there now) as a risk input beside the interruption model. A score says how tight capacity is, which the
/// model cannot see from prices alone. Scores at or above <see cref="PlacementScorePolicy.TrustedFrom"/> leave the
/// model's risk as it is; lower scores multiply the pool's hazard, up to <see cref="PlacementScorePolicy.LowestScoreLift"/>
/// at a score of 1. Pools without a score keep the model's risk.
/// </summary>
public sealed record PlacementScores(IReadOnlyDictionary<SpotPoolId, int> ByPool, PlacementScorePolicy Policy)
{
    public const int Lowest = 1;
    public const int Highest = 10;

    public static PlacementScores None { get; } = new(new Dictionary<SpotPoolId, int>(), PlacementScorePolicy.Default);

    public int? ScoreOf(SpotPoolId pool) => ByPool.TryGetValue(pool, out var score) ? score : null;

    /// <summary>The pool's interruption probability with its placement score taken into account.</summary>
    public double Apply(SpotPoolId pool, double probability) => ScoreOf(pool) is { } score ? Policy.Apply(probability, score) : probability;
}

/// <param name="TrustedFrom">The lowest score that changes nothing (AWS calls 8–10 likely to succeed).</param>
/// <param name="LowestScoreLift">The hazard multiplier at score 1; scores between scale linearly.</param>
public sealed record PlacementScorePolicy(int TrustedFrom = 7, double LowestScoreLift = 3)
{
    public static PlacementScorePolicy Default { get; } = new();

    /// <summary>Off: every score trusted (the benchmark's "signal off" run).</summary>
    public static PlacementScorePolicy Off { get; } = new(PlacementScores.Lowest, 1);

    /// <summary>The hazard multiplier for a score (1 at or above <see cref="TrustedFrom"/>).</summary>
    public double Lift(int score)
    {
        var clamped = Math.Clamp(score, PlacementScores.Lowest, PlacementScores.Highest);
        if (clamped >= TrustedFrom || TrustedFrom <= PlacementScores.Lowest) return 1;
        var shortfall = (TrustedFrom - clamped) / (double)(TrustedFrom - PlacementScores.Lowest);
        return 1 + ((LowestScoreLift - 1) * shortfall);
    }

    /// <summary>
    /// Multiplies the hazard, not the probability: <c>1 − (1 − p)^lift</c> stays a probability for any lift and
    /// matches <c>lift × p</c> for small p.
    /// </summary>
    public double Apply(double probability, int score)
    {
        var lift = Lift(score);
        if (lift == 1 || probability <= 0) return probability;
        if (probability >= 1) return 1;
        return 1 - Math.Pow(1 - probability, lift);
    }
}
