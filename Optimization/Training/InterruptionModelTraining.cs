using SpotOptimizer.Optimization.Market;
using SpotOptimizer.Optimization.Risk;

namespace SpotOptimizer.Optimization.Training;

public sealed record ModelTrainingOptions(
    string Version,
    string Source,
    LabelDefinition Label,
    int SampleEveryHours = 3,
    double L2 = 1.0,
    int MaxIterations = 50,
    int WarmupHours = 24,
    double MinRelativeRisk = 0.2,
    double MaxRelativeRisk = 8);

/// <summary>The trained artifact plus the held-out numbers behind its <see cref="InterruptionModelArtifact.Evaluation"/>.</summary>
public sealed record TrainingOutcome(InterruptionModelArtifact Artifact, int TrainExamples, int TestExamples, bool Converged);

/// <summary>
/// Trains the interruption model on a price grid with a time split and no leakage: training examples stop
/// <see cref="LabelDefinition.HorizonHours"/> before <c>split</c>, so no training label sees a price at or after
/// it; test examples start at <c>split</c>. The model is compared with the bucket heuristic calibrated on the
/// training part (each bucket's training positive rate) and with the constant training prior.
/// </summary>
public static class InterruptionModelTraining
{
    public static TrainingOutcome Train(HourlyPriceGrid grid, RiskReferenceData reference, DateTimeOffset split, ModelTrainingOptions options)
    {
        var sets = TimeSplit.Build(grid, reference, split, options.Label, options.WarmupHours, options.SampleEveryHours);
        var (train, test, splitHour) = (sets.Train, sets.Test, sets.SplitHour);
        var fit = LogisticRegressionTrainer.Train(train, options.L2, options.MaxIterations);

        var modelScores = Score(test, fit.Probability);
        var bucketRates = TimeSplit.BucketRates(train);
        var heuristicScores = test.Buckets.Select(b => bucketRates[TimeSplit.BucketSlot(b)]).ToArray();
        var staticScores = test.Buckets.Select(BucketHeuristic.Probability).ToArray();
        var prior = (double)train.Positives / train.Count;
        var evaluation = new EvaluationRecord(
            grid.TimeOf(splitHour),
            grid.TimeOf(grid.Hours - 1 - options.Label.HorizonHours),
            test.Count,
            test.Positives,
            ClassificationMetrics.LogLoss(modelScores, test.Labels),
            ClassificationMetrics.Auc(modelScores, test.Labels),
            ClassificationMetrics.LogLoss(heuristicScores, test.Labels),
            ClassificationMetrics.Auc(staticScores, test.Labels),
            ClassificationMetrics.LogLoss(Enumerable.Repeat(prior, test.Count).ToArray(), test.Labels));

        var artifact = new InterruptionModelArtifact(
            InterruptionModelArtifact.FormatName,
            InterruptionModelArtifact.LogisticRegression,
            options.Version,
            InterruptionContract.Version,
            RiskFeatures.FeatureSet,
            RiskFeatures.Names.Select((name, i) => new ArtifactFeature(name, fit.Means[i], fit.Scales[i], fit.Weights[i])).ToList(),
            fit.Intercept,
            options.Label,
            new OutputMapping(OutputMapping.AdvisorProportionalHazard, prior, options.MinRelativeRisk, options.MaxRelativeRisk),
            new TrainingRecord(
                options.Source,
                grid.TimeOf(options.WarmupHours),
                grid.TimeOf(splitHour - options.Label.HorizonHours - 1),
                train.Count,
                train.Positives,
                grid.Pools.Count,
                options.SampleEveryHours,
                options.L2,
                fit.Iterations),
            evaluation);
        return new TrainingOutcome(artifact, train.Count, test.Count, fit.Converged);
    }

    private static double[] Score(TrainingSet data, Func<ReadOnlySpan<double>, double> probability)
    {
        var scores = new double[data.Count];
        for (var i = 0; i < data.Count; i++) scores[i] = probability(data.Row(i));
        return scores;
    }
}
