using SpotOptimizer.Optimization.Market;
using SpotOptimizer.Optimization.Risk;

namespace SpotOptimizer.Optimization.Training;

/// <summary>A trained tree artifact plus the held-out numbers behind its <see cref="TreeModelManifest.Evaluation"/>.</summary>
public sealed record TreeTrainingOutcome(TreeModelArtifact Artifact, int TrainExamples, int TestExamples);

/// <summary>
/// Trains a FastTree or LightGBM interruption model into a <see cref="TreeModelArtifact"/> on the same
/// <see cref="TimeSplit"/> and label as <see cref="InterruptionModelTraining"/>, with the same evaluation record and
/// output mapping (event prior = the training positive rate).
/// </summary>
public static class TreeInterruptionModelTraining
{
    public static TreeTrainingOutcome Train(HourlyPriceGrid grid, RiskReferenceData reference, DateTimeOffset split, ModelTrainingOptions options, InterruptionModelKind kind, TreeTrainingOptions trees)
    {
        var sets = TimeSplit.Build(grid, reference, split, options.Label, options.WarmupHours, options.SampleEveryHours);
        var (train, test) = (sets.Train, sets.Test);
        var fit = TreeModelTraining.Train(train, kind, trees);
        var scores = fit.Score(test);
        var bucketRates = TimeSplit.BucketRates(train);
        var prior = (double)train.Positives / train.Count;
        var evaluation = new EvaluationRecord(
            grid.TimeOf(sets.SplitHour),
            grid.TimeOf(grid.Hours - 1 - options.Label.HorizonHours),
            test.Count,
            test.Positives,
            ClassificationMetrics.LogLoss(scores, test.Labels),
            ClassificationMetrics.Auc(scores, test.Labels),
            ClassificationMetrics.LogLoss(test.Buckets.Select(b => bucketRates[TimeSplit.BucketSlot(b)]).ToArray(), test.Labels),
            ClassificationMetrics.Auc(test.Buckets.Select(BucketHeuristic.Probability).ToArray(), test.Labels),
            ClassificationMetrics.LogLoss(Enumerable.Repeat(prior, test.Count).ToArray(), test.Labels));
        var manifest = new TreeModelManifest(
            TreeModelManifest.FormatName,
            kind == InterruptionModelKind.FastTree ? TreeModelManifest.FastTree : TreeModelManifest.LightGbm,
            options.Version,
            InterruptionContract.Version,
            RiskFeatures.FeatureSet,
            [.. RiskFeatures.Names],
            options.Label,
            new OutputMapping(OutputMapping.AdvisorProportionalHazard, prior, options.MinRelativeRisk, options.MaxRelativeRisk),
            new TreeTrainingRecord(
                options.Source,
                grid.TimeOf(sets.TrainFromHour),
                grid.TimeOf(sets.TrainToHour - 1),
                train.Count,
                train.Positives,
                grid.Pools.Count,
                options.SampleEveryHours,
                trees.Seed,
                trees.Trees,
                trees.Leaves,
                trees.MinExamplesPerLeaf,
                trees.LearningRate),
            evaluation);
        return new TreeTrainingOutcome(new TreeModelArtifact(manifest, fit.Save()), train.Count, test.Count);
    }
}
