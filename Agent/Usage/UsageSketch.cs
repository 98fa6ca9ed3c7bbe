namespace SpotOptimizer.Agent.Usage;

/// <summary>
/// A histogram of one resource's samples in logarithmic buckets (each 2 % wider than the one below), kept sparse: a
/// workload's usage spans a narrow range, so a few dozen buckets hold months of samples in constant memory. A quantile
/// is its bucket's upper edge, capped at the largest sample: never below the exact answer and at most 2 % above it,
/// which errs on the side right-sizing wants (a request a little high, never too low).
/// </summary>
public sealed class UsageSketch
{
    public const double Growth = 1.02;

    private static readonly double LogGrowth = Math.Log(Growth);
    private readonly SortedDictionary<int, long> _counts = [];

    public long Count { get; private set; }

    public double Max { get; private set; }

    public void Add(double value)
    {
        if (double.IsNaN(value) || value < 0) throw new ArgumentOutOfRangeException(nameof(value), value, "Usage is a non-negative number.");
        var bucket = Bucket(value);
        _counts[bucket] = _counts.GetValueOrDefault(bucket) + 1;
        Count++;
        Max = Math.Max(Max, value);
    }

    public void AddAll(UsageSketch other)
    {
        foreach (var (bucket, count) in other._counts) _counts[bucket] = _counts.GetValueOrDefault(bucket) + count;
        Count += other.Count;
        Max = Math.Max(Max, other.Max);
    }

    /// <summary>The nearest-rank quantile (see <see cref="Percentiles.NearestRank"/>) within the bucket's 2 %.</summary>
    public double Quantile(double quantile)
    {
        if (Count == 0) throw new InvalidOperationException("No samples.");
        var rank = Percentiles.Rank(Count, quantile);
        long seen = 0;
        foreach (var (bucket, count) in _counts)
        {
            seen += count;
            if (seen >= rank) return Math.Min(UpperEdge(bucket), Max);
        }

        return Max;
    }

    /// <summary>Bucket 0 holds [0, 1); bucket b ≥ 1 holds [Growth^(b−1), Growth^b).</summary>
    private static int Bucket(double value) => value < 1 ? 0 : 1 + (int)Math.Floor(Math.Log(value) / LogGrowth);

    private static double UpperEdge(int bucket) => bucket == 0 ? 1 : Math.Pow(Growth, bucket);
}
