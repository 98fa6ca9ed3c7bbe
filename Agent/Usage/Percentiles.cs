namespace SpotOptimizer.Agent.Usage;

/// <summary>The exact percentile the sketch approximates: nearest rank, so the answer is always a sample that was seen.</summary>
public static class Percentiles
{
    /// <summary>The smallest sample with at least <paramref name="quantile"/> of the samples at or below it.</summary>
    public static double NearestRank(IEnumerable<double> samples, double quantile)
    {
        var sorted = samples.Order().ToList();
        if (sorted.Count == 0) throw new ArgumentException("No samples.", nameof(samples));
        return sorted[(int)Rank(sorted.Count, quantile) - 1];
    }

    /// <summary>The 1-based rank: ⌈q·n⌉, at least 1. Rounded first, so 0.95 × 100 is 95 and not 95.000000001.</summary>
    public static long Rank(long count, double quantile)
    {
        if (quantile is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(quantile), quantile, "A quantile is between 0 and 1.");
        return Math.Max(1, (long)Math.Ceiling(Math.Round(quantile * count, 9)));
    }
}
