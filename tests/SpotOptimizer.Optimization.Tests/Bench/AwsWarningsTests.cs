using SpotOptimizer.Bench.Spot;

namespace SpotOptimizer.Optimization.Tests.Bench;

public sealed class AwsWarningsTests
{
    private const int From = 100;
    private const int To = 400;

    /// <summary>Two pools over 300 hours: pool 0 calm (tightness 1), pool 1 tight (×6); pool 1 off offer in hour 150.</summary>
    private static ReclaimIntensity Intensity(double calm = 1, double tight = 6)
    {
        var hours = To - From;
        var tightness = new float[2 * hours];
        for (var h = 0; h < hours; h++)
        {
            tightness[h] = (float)calm;
            tightness[hours + h] = h == 50 ? float.NaN : (float)tight;
        }

        return new ReclaimIntensity(2, From, To, tightness, [0.01, 0.01]);
    }

    private static List<Reclaim> Reclaims(int count) =>
        Enumerable.Range(0, count).Select(i => new Reclaim(i % 2, From + 1 + (i * 290.0 / count), i)).ToList();

    [Fact]
    public void Derive_SameSeed_SameWarnings_OtherSeed_Others()
    {
        var reclaims = Reclaims(200);

        var a = AwsWarnings.Derive(reclaims, Intensity(), 7, WarningModel.Default);
        var b = AwsWarnings.Derive(reclaims, Intensity(), 7, WarningModel.Default);
        var c = AwsWarnings.Derive(reclaims, Intensity(), 8, WarningModel.Default);

        Assert.Equal(a.Rebalances, b.Rebalances);
        Assert.NotEqual(a.Rebalances, c.Rebalances);
    }

    [Fact]
    public void Derive_WarnedReclaims_AreAboutTheSharePrecededWithinTheLeadTimes()
    {
        var reclaims = Reclaims(2000);
        var model = WarningModel.Default with { UnfollowedPerReclaim = 0 };

        var warnings = AwsWarnings.Derive(reclaims, Intensity(), 3, model);

        var share = warnings.Rebalances.Length / (double)reclaims.Count;
        Assert.InRange(share, model.WarnedShare - 0.05, model.WarnedShare + 0.05);
        Assert.All(warnings.Rebalances, r =>
        {
            var reclaim = reclaims[r.Reclaim!.Value];
            Assert.Equal(reclaim.Pool, r.Pool);
            var lead = reclaim.Time - r.Time;
            // Clamped to the window's start when the lead would reach before it.
            Assert.True(r.Time == From || (lead >= model.MinLeadHours - 1e-9 && lead <= model.MaxLeadHours + 1e-9), $"lead {lead} h");
        });
        Assert.True(warnings.Rebalances.Zip(warnings.Rebalances.Skip(1), (x, y) => x.Time <= y.Time).All(ordered => ordered));
    }

    [Fact]
    public void Derive_UnfollowedRecommendations_ComeWhereCapacityIsTight()
    {
        // No reclaims at all: every recommendation is one that no reclaim follows, at the pool's rate × tightness.
        var warnings = AwsWarnings.Derive([], Intensity(), 5, WarningModel.Default with { UnfollowedPerReclaim = 4 });

        var calm = warnings.Rebalances.Count(r => r.Pool == 0);
        var tight = warnings.Rebalances.Count(r => r.Pool == 1);
        Assert.All(warnings.Rebalances, r => Assert.Null(r.Reclaim));
        // Expected 4 × 0.01 × 300 = 12 in the calm pool and 6× that (less the hour off offer) in the tight one.
        Assert.InRange(calm, 3, 25);
        Assert.InRange(tight, 45, 105);
        Assert.DoesNotContain(warnings.Rebalances, r => r.Pool == 1 && r.Time >= From + 50 && r.Time < From + 51);
    }

    [Fact]
    public void PlacementScore_TightPoolsScoreLower_AndAPoolOffOfferHasNone()
    {
        var warnings = AwsWarnings.Derive([], Intensity(), 11, WarningModel.Default);

        var calm = Enumerable.Range(From, To - From).Select(h => warnings.PlacementScore(0, h)!.Value).ToList();
        var tight = Enumerable.Range(From, To - From).Where(h => h != From + 50).Select(h => warnings.PlacementScore(1, h)!.Value).ToList();
        Assert.All(calm.Concat(tight), s => Assert.InRange(s, 1, 10));
        Assert.InRange(calm.Average(), 8.3, 9.2);   // 9 with noise, clamped at 10
        Assert.InRange(tight.Average(), 4.9, 6.1);  // 9 − 2 ln 6 ≈ 5.4
        Assert.Null(warnings.PlacementScore(1, From + 50));
    }

    [Theory]
    [InlineData(1.0, 0.0, 9)]
    [InlineData(5.0, 0.0, 6)]      // 9 − 2 ln 5 = 5.78
    [InlineData(1.0, 1.6, 10)]     // clamped
    [InlineData(1000.0, 0.0, 1)]   // clamped
    [InlineData(0.5, -0.4, 10)]    // 9 + 1.39 − 0.4 = 9.99
    public void Score_QuantisesTheNoisyReading(double tightness, double noise, int expected) =>
        Assert.Equal(expected, AwsWarnings.Score(tightness, noise, WarningModel.Default));
}
