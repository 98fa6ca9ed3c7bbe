using System.Diagnostics;
using SpotOptimizer.Optimization.Market;
using SpotOptimizer.Optimization.Risk;

namespace SpotOptimizer.Optimization.Training;

/// <summary>How one model did on the test period of a <see cref="TimeSplit"/>.</summary>
/// <param name="Gain">Total split gain per feature (tree models only), in <see cref="RiskFeatures.Names"/> order.</param>
/// <param name="PermutationAucDrop">Per feature: test AUC minus the AUC with that feature's column shuffled.</param>
public sealed record ModelScorecard(
    InterruptionModelKind Kind,
    double Auc,
    double Brier,
    double LogLoss,
    IReadOnlyList<CalibrationBin> Calibration,
    IReadOnlyList<double>? Gain,
    IReadOnlyList<double> PermutationAucDrop,
    TimeSpan TrainingTime);

public sealed record ModelComparison(
    int TrainExamples,
    int TrainPositives,
    int TestExamples,
    int TestPositives,
    DateTimeOffset TrainFrom,
    DateTimeOffset TrainTo,
    DateTimeOffset TestFrom,
    double PriorBrier,
    double BucketHeuristicAuc,
    IReadOnlyList<ModelScorecard> Models);

/// <summary>
/// Trains the logistic regression, FastTree and LightGBM on the same <see cref="TimeSplit"/> (same features, labels,
/// examples) and scores all three on the same test examples: AUC, Brier score, log-loss, a 10-bin calibration curve,
/// tree gains, and permutation importance (AUC drop) on a seeded subsample of the test period.
/// </summary>
public static class InterruptionModelComparison
{
    public static ModelComparison Compare(
        HourlyPriceGrid grid,
        RiskReferenceData reference,
        DateTimeOffset split,
        ModelTrainingOptions logistic,
        TreeTrainingOptions trees,
        int permutationRows = 50_000)
    {
        var sets = TimeSplit.Build(grid, reference, split, logistic.Label, logistic.WarmupHours, logistic.SampleEveryHours);
        var probe = Subsample(sets.Test, permutationRows, trees.Seed);
        var models = new List<ModelScorecard>();

        var clock = Stopwatch.StartNew();
        var fit = LogisticRegressionTrainer.Train(sets.Train, logistic.L2, logistic.MaxIterations);
        var logisticTime = clock.Elapsed;
        models.Add(Scorecard(InterruptionModelKind.Logistic, d => ScoreRows(d, fit.Probability), sets.Test, probe, null, logisticTime, trees.Seed));

        foreach (var kind in new[] { InterruptionModelKind.FastTree, InterruptionModelKind.LightGbm })
        {
            clock.Restart();
            var tree = TreeModelTraining.Train(sets.Train, kind, trees);
            var time = clock.Elapsed;
            models.Add(Scorecard(kind, tree.Score, sets.Test, probe, tree.Gain(), time, trees.Seed));
        }

        var prior = (double)sets.Train.Positives / sets.Train.Count;
        return new ModelComparison(
            sets.Train.Count,
            sets.Train.Positives,
            sets.Test.Count,
            sets.Test.Positives,
            grid.TimeOf(sets.TrainFromHour),
            grid.TimeOf(sets.TrainToHour - 1),
            grid.TimeOf(sets.SplitHour),
            ClassificationMetrics.Brier(Enumerable.Repeat(prior, sets.Test.Count).ToArray(), sets.Test.Labels),
            ClassificationMetrics.Auc(sets.Test.Buckets.Select(BucketHeuristic.Probability).ToArray(), sets.Test.Labels),
            models);
    }

    internal static double[] ScoreRows(TrainingSet data, Func<ReadOnlySpan<double>, double> probability)
    {
        var scores = new double[data.Count];
        for (var i = 0; i < data.Count; i++) scores[i] = probability(data.Row(i));
        return scores;
    }

    private static ModelScorecard Scorecard(InterruptionModelKind kind, Func<TrainingSet, double[]> score, TrainingSet test, TrainingSet probe, double[]? gain, TimeSpan trainingTime, int seed)
    {
        var scores = score(test);
        return new ModelScorecard(
            kind,
            ClassificationMetrics.Auc(scores, test.Labels),
            ClassificationMetrics.Brier(scores, test.Labels),
            ClassificationMetrics.LogLoss(scores, test.Labels),
            ClassificationMetrics.Calibration(scores, test.Labels),
            gain,
            PermutationImportance(score, probe, seed),
            trainingTime);
    }

    /// <summary>AUC lost when one feature's column is shuffled across the rows (the same shuffle for every model).</summary>
    public static double[] PermutationImportance(Func<TrainingSet, double[]> score, TrainingSet data, int seed)
    {
        var baseline = ClassificationMetrics.Auc(score(data), data.Labels);
        var drops = new double[data.Width];
        for (var j = 0; j < data.Width; j++)
        {
            var order = Enumerable.Range(0, data.Count).ToArray();
            new Random(HashCode.Combine(seed, j)).Shuffle(order);
            var features = (double[])data.Features.Clone();
            for (var i = 0; i < data.Count; i++) features[i * data.Width + j] = data.Features[order[i] * data.Width + j];
            var shuffled = new TrainingSet(features, data.Labels, data.Buckets, data.Width, data.Hours);
            drops[j] = baseline - ClassificationMetrics.Auc(score(shuffled), data.Labels);
        }

        return drops;
    }

    /// <summary>At most <paramref name="rows"/> examples drawn without replacement by a seeded generator, in their original order.</summary>
    internal static TrainingSet Subsample(TrainingSet data, int rows, int seed)
    {
        if (data.Count <= rows) return data;
        var picked = Enumerable.Range(0, data.Count).ToArray();
        new Random(seed).Shuffle(picked);
        var keep = picked[..rows];
        Array.Sort(keep);
        var features = new double[rows * data.Width];
        for (var i = 0; i < rows; i++) data.Row(keep[i]).CopyTo(features.AsSpan(i * data.Width, data.Width));
        return new TrainingSet(features, [.. keep.Select(i => data.Labels[i])], [.. keep.Select(i => data.Buckets[i])], data.Width, [.. keep.Select(i => data.Hours[i])]);
    }
}
