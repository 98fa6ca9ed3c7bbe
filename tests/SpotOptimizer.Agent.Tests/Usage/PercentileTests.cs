using SpotOptimizer.Agent.Usage;

namespace SpotOptimizer.Agent.Tests.Usage;

/// <summary>Exact nearest-rank percentiles and the sketch that approximates them, on samples with known answers.</summary>
public sealed class PercentileTests
{
    private static readonly double[] OneToHundred = [.. Enumerable.Range(1, 100).Select(i => (double)i)];

    [Theory]
    [InlineData(0.50, 50)]
    [InlineData(0.95, 95)]
    [InlineData(0.99, 99)]
    [InlineData(1.00, 100)]
    [InlineData(0.00, 1)]
    public void NearestRank_OneToHundredShuffled_IsTheRankedSample(double quantile, double expected)
    {
        var shuffled = OneToHundred.OrderBy(v => (v * 37) % 101).ToList();
        Assert.Equal(expected, Percentiles.NearestRank(shuffled, quantile));
    }

    [Fact]
    public void NearestRank_FewSamples_RoundsTheRankUp()
    {
        // ⌈0.5 × 3⌉ = 2, ⌈0.95 × 3⌉ = 3: with three samples p95 is the largest.
        Assert.Equal((20, 30), (Percentiles.NearestRank([30, 10, 20], 0.5), Percentiles.NearestRank([30, 10, 20], 0.95)));
        Assert.Throws<ArgumentException>(() => Percentiles.NearestRank([], 0.5));
    }

    [Theory]
    [InlineData(0.50, 50)]
    [InlineData(0.95, 95)]
    [InlineData(0.99, 99)]
    public void Sketch_OneToHundred_AtMostTwoPercentAboveTheExactAnswer(double quantile, double exact)
    {
        var sketch = new UsageSketch();
        foreach (var v in OneToHundred) sketch.Add(v);

        var estimate = sketch.Quantile(quantile);

        Assert.InRange(estimate, exact, exact * UsageSketch.Growth);
        Assert.Equal(100, sketch.Count);
    }

    [Fact]
    public void Sketch_ConstantUsage_IsExactlyThatValue()
    {
        var sketch = new UsageSketch();
        for (var i = 0; i < 50; i++) sketch.Add(256);

        // The bucket's upper edge is capped at the largest sample.
        Assert.Equal(256, sketch.Quantile(0.5));
        Assert.Equal(256, sketch.Quantile(0.99));
    }

    [Fact]
    public void Sketch_ManySkewedSamples_EveryPercentileWithinTwoPercentOfExact()
    {
        var random = new Random(7);
        var samples = Enumerable.Range(0, 20_000).Select(_ => Math.Exp(4 + (random.NextDouble() * 3))).ToList();
        var sketch = new UsageSketch();
        foreach (var v in samples) sketch.Add(v);

        foreach (var q in new[] { 0.5, 0.9, 0.95, 0.99 })
        {
            var exact = Percentiles.NearestRank(samples, q);
            Assert.InRange(sketch.Quantile(q), exact, exact * UsageSketch.Growth);
        }
    }

    [Fact]
    public void Sketch_Merged_AnswersAsOneSketchOfAllSamples()
    {
        var (low, high, all) = (new UsageSketch(), new UsageSketch(), new UsageSketch());
        foreach (var v in OneToHundred)
        {
            (v <= 50 ? low : high).Add(v);
            all.Add(v);
        }

        low.AddAll(high);

        Assert.Equal((all.Count, all.Quantile(0.95), all.Max), (low.Count, low.Quantile(0.95), low.Max));
    }

    [Fact]
    public void Sketch_BelowOneAndNegative_FirstBucketAndRefused()
    {
        var sketch = new UsageSketch();
        sketch.Add(0.2);
        sketch.Add(0.4);

        Assert.Equal(0.4, sketch.Quantile(0.99));
        Assert.Throws<ArgumentOutOfRangeException>(() => sketch.Add(-1));
        Assert.Throws<InvalidOperationException>(() => new UsageSketch().Quantile(0.5));
    }
}
