using SpotOptimizer.Optimization.Market;
using SpotOptimizer.Optimization.Risk;
using SpotOptimizer.Optimization.Tests.Risk;
using SpotOptimizer.Optimization.Training;

namespace SpotOptimizer.Optimization.Tests.Training;

public sealed class TreeModelTests
{
    private static readonly LabelDefinition Label = LabelDefinition.PriceRise(24, 0.03);
    private static readonly TreeTrainingOptions SmallTrees = new(Seed: 7, Trees: 30, Leaves: 8, MinExamplesPerLeaf: 20, LearningRate: 0.1);

    /// <summary>A synthetic market whose first half trains and second half tests, as the benchmark splits the data pack.</summary>
    private static (HourlyPriceGrid Grid, DateTimeOffset Split) Market()
    {
        var book = TestModels.MomentumMarket(pools: 24, hours: 900, seed: 3);
        return (HourlyPriceGrid.Build(book, book.Start, 900), book.Start.AddHours(500));
    }

    private static TimeSplitSets Sets(HourlyPriceGrid grid, DateTimeOffset split) =>
        TimeSplit.Build(grid, TestModels.Reference, split, Label, warmupHours: 24, sampleEveryHours: 2);

    [Theory]
    [InlineData(InterruptionModelKind.FastTree)]
    [InlineData(InterruptionModelKind.LightGbm)]
    public void Train_SameSeedTwice_IdenticalPredictions(InterruptionModelKind kind)
    {
        var (grid, split) = Market();
        var sets = Sets(grid, split);

        var first = TreeModelTraining.Train(sets.Train, kind, SmallTrees).Score(sets.Test);
        var second = TreeModelTraining.Train(sets.Train, kind, SmallTrees).Score(sets.Test);

        Assert.Equal(sets.Test.Count, first.Length);
        Assert.Equal(first, second);
        Assert.True(first.Distinct().Count() > 10, "a constant model would trivially repeat itself");
    }

    [Fact]
    public void TimeSplit_PricesAfterTheSplitRewritten_TrainingSetUnchanged()
    {
        var (grid, split) = Market();
        var before = Sets(grid, split);
        var (rewritten, _) = Market();
        var random = new Random(11);
        foreach (var row in rewritten.Prices)
        {
            for (var h = before.SplitHour; h < row.Length; h++) row[h] *= 0.5 + random.NextDouble();
        }

        var after = Sets(rewritten, split);

        // Every training label ends before the split: nothing at or after it can change a training example.
        Assert.All(before.Train.Hours, h => Assert.True(h + Label.HorizonHours < before.SplitHour, $"example at hour {h} labels across the split"));
        Assert.All(before.Test.Hours, h => Assert.True(h >= before.SplitHour));
        Assert.Equal(before.Train.Features, after.Train.Features);
        Assert.Equal(before.Train.Labels, after.Train.Labels);
        Assert.NotEqual(before.Test.Labels, after.Test.Labels);
    }

    [Theory]
    [InlineData(InterruptionModelKind.FastTree)]
    [InlineData(InterruptionModelKind.LightGbm)]
    public void Artifact_TrainedZippedAndLoaded_PredictsWithinContractLikeTheFit(InterruptionModelKind kind)
    {
        var (grid, split) = Market();
        var outcome = TreeInterruptionModelTraining.Train(grid, TestModels.Reference, split, new ModelTrainingOptions("tree-test-1", "test", Label, SampleEveryHours: 2), kind, SmallTrees);

        var loaded = TreeInterruptionModelLoader.Load(new MemoryStream(outcome.Artifact.ToZip()), TestModels.Reference);

        Assert.True(loaded.Loaded, string.Join("; ", loaded.Errors));
        using var model = loaded.Model!;
        Assert.Equal("tree-test-1", model.Version);
        Assert.True(outcome.Artifact.Manifest.Evaluation!.Auc > 0.6, $"AUC {outcome.Artifact.Manifest.Evaluation.Auc}");
        var sets = Sets(grid, split);
        var batch = TreeModelTraining.Train(sets.Train, kind, SmallTrees).Score(sets.Test);
        var pool = 0;
        var hour = sets.SplitHour + 10;
        var history = grid.History(pool, hour, RiskFeatures.WindowHours).ToArray();
        var request = InterruptionContract.RequestFor(grid.Pools[pool].InstanceType, grid.Pools[pool].AvailabilityZone, history, grid.TimeOf(hour));
        var answer = model.Predict(request);
        Assert.True(ContractValidator.ValidatePrediction(answer).IsValid, ContractValidator.ValidatePrediction(answer).ToString());
        var row = Array.IndexOf(sets.Test.Hours, hour);
        Assert.Equal(batch[row], model.EventProbability(history, null, null, grid.TimeOf(hour).Hour, InterruptionContract.DayOfWeek(grid.TimeOf(hour))), 6);
    }

    [Fact]
    public void Load_ManifestOfAnotherContract_RejectedWithReason()
    {
        var (grid, split) = Market();
        var outcome = TreeInterruptionModelTraining.Train(grid, TestModels.Reference, split, new ModelTrainingOptions("tree-test-1", "test", Label, SampleEveryHours: 4), InterruptionModelKind.FastTree, SmallTrees);
        var artifact = outcome.Artifact with { Manifest = outcome.Artifact.Manifest with { ContractVersion = "v0.9" } };

        var loaded = TreeInterruptionModelLoader.Load(new MemoryStream(artifact.ToZip()), TestModels.Reference);

        Assert.False(loaded.Loaded);
        Assert.Contains(loaded.Errors, e => e.Contains("contract_version", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_NotAZip_RejectedWithReason()
    {
        var loaded = TreeInterruptionModelLoader.Load(new MemoryStream([1, 2, 3, 4]), TestModels.Reference);

        Assert.False(loaded.Loaded);
        Assert.Contains(loaded.Errors, e => e.Contains(TreeModelManifest.FormatName, StringComparison.Ordinal));
    }

    [Fact]
    public void Compare_SameSplitForAllThree_ScoresEveryModelOnTheSameTestExamples()
    {
        var (grid, split) = Market();

        var comparison = InterruptionModelComparison.Compare(grid, TestModels.Reference, split,
            new ModelTrainingOptions("cmp", "test", Label, SampleEveryHours: 2), SmallTrees, permutationRows: 2_000);

        Assert.Equal([InterruptionModelKind.Logistic, InterruptionModelKind.FastTree, InterruptionModelKind.LightGbm], comparison.Models.Select(m => m.Kind));
        Assert.All(comparison.Models, m =>
        {
            Assert.Equal(comparison.TestExamples, m.Calibration.Sum(b => b.Count));
            Assert.True(m.Auc > 0.6 && m.Brier < comparison.PriorBrier, $"{m.Kind}: AUC {m.Auc}, Brier {m.Brier} vs prior {comparison.PriorBrier}");
            Assert.Equal(RiskFeatures.Count, m.PermutationAucDrop.Count);
        });
        Assert.Null(comparison.Models[0].Gain);
        Assert.All(comparison.Models.Skip(1), m => Assert.Equal(RiskFeatures.Count, m.Gain!.Count));
        // The momentum market's signal is the recent move: shuffling the jump must cost every model AUC.
        var jump = RiskFeatures.Names.ToList().IndexOf("log_price_to_min_24h");
        Assert.All(comparison.Models, m => Assert.True(m.PermutationAucDrop.Max() > 0.01, $"{m.Kind}: no feature matters"));
        Assert.True(comparison.Models.All(m => m.PermutationAucDrop[jump] >= 0), "shuffling the jump improved a model");
    }
}
