using SpotOptimizer.Optimization.Training;

namespace SpotOptimizer.Optimization.Tests.Training;

public sealed class ClassificationMetricsTests
{
    [Fact]
    public void Brier_KnownValues()
    {
        Assert.Equal(0.0, ClassificationMetrics.Brier([0.0, 1.0], [0, 1]));
        Assert.Equal(0.25, ClassificationMetrics.Brier([0.5, 0.5], [0, 1]), 12);
        // (0.2² + 0.4² + 0.1² + 0.7²) / 4 = (0.04 + 0.16 + 0.01 + 0.49) / 4
        Assert.Equal(0.175, ClassificationMetrics.Brier([0.2, 0.6, 0.1, 0.7], [0, 1, 0, 0]), 12);
    }

    [Fact]
    public void Brier_MismatchedLengths_Throws() =>
        Assert.Throws<ArgumentException>(() => ClassificationMetrics.Brier([0.5], [0, 1]));

    [Fact]
    public void Calibration_HandCase_CountsMeansAndRatesPerBin()
    {
        double[] p = [0.05, 0.15, 0.12, 0.95, 1.0, 0.5];
        byte[] y = [0, 1, 0, 1, 0, 1];

        var bins = ClassificationMetrics.Calibration(p, y, bins: 10);

        Assert.Equal(10, bins.Count);
        Assert.Equal(6, bins.Sum(b => b.Count));
        Assert.Equal((1, 0.05, 0.0), (bins[0].Count, bins[0].MeanPredicted, bins[0].ObservedRate));
        Assert.Equal(2, bins[1].Count);
        Assert.Equal(0.135, bins[1].MeanPredicted, 12);
        Assert.Equal(0.5, bins[1].ObservedRate);
        Assert.Equal((1, 0.5, 1.0), (bins[5].Count, bins[5].MeanPredicted, bins[5].ObservedRate));
        // 1.0 belongs to the last bin, with 0.95.
        Assert.Equal(2, bins[9].Count);
        Assert.Equal(0.975, bins[9].MeanPredicted, 12);
        Assert.Equal(0.5, bins[9].ObservedRate);
        Assert.Equal(0, bins[3].Count);
        Assert.True(double.IsNaN(bins[3].MeanPredicted) && double.IsNaN(bins[3].ObservedRate));
        Assert.Equal((0.9, 1.0), (bins[9].From, bins[9].To));
    }

    [Fact]
    public void Calibration_ProbabilityOutsideUnitInterval_Throws() =>
        Assert.Throws<ArgumentException>(() => ClassificationMetrics.Calibration([1.2], [1]));

    [Fact]
    public void PermutationImportance_OnlyTheUsedFeatureMatters()
    {
        // The score is the first feature; the label is 1 exactly when it is above 0.5.
        var rows = Enumerable.Range(0, 200).Select(i => new[] { i / 200.0, (i * 37 % 200) / 200.0 }).ToList();
        var set = TrainingSet.FromRows(rows, rows.Select(r => r[0] > 0.5).ToList(), rows.Select(_ => (int?)0).ToList());

        var drops = InterruptionModelComparison.PermutationImportance(d => InterruptionModelComparison.ScoreRows(d, x => x[0]), set, seed: 1);

        Assert.True(drops[0] > 0.3, $"drop {drops[0]}");
        Assert.Equal(0.0, drops[1]);
    }
}
