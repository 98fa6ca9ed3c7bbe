using System.Text;
using SpotOptimizer.Optimization.Market;
using SpotOptimizer.Optimization.Risk;
using SpotOptimizer.Optimization.Training;

namespace SpotOptimizer.Optimization.Tests.Risk;

public sealed class InterruptionModelTests
{
    private static Stream Json(string text) => new MemoryStream(Encoding.UTF8.GetBytes(text));

    [Fact]
    public void Load_ArtifactJsonRoundTrip_SamePredictions()
    {
        var artifact = TestModels.Artifact();
        var json = artifact.ToJson();

        var loaded = InterruptionModelLoader.Load(Json(json), TestModels.Reference);

        Assert.True(loaded.Loaded, string.Join("; ", loaded.Errors));
        Assert.Equal(json, loaded.Model!.Artifact.ToJson());
        var direct = InterruptionModelLoader.Load(artifact, TestModels.Reference).Model!;
        var request = InterruptionContract.RequestFor("m5.large", "us-east-1a", [0.03, 0.03, 0.036], new DateTimeOffset(2021, 3, 2, 5, 0, 0, TimeSpan.Zero));
        Assert.Equal(direct.Predict(request), loaded.Model.Predict(request));
    }

    [Fact]
    public void Artifact_Json_SnakeCaseWithVersionAndLabel()
    {
        var json = TestModels.Artifact(version: "2.3.4").ToJson();

        Assert.Contains("\"version\": \"2.3.4\"", json, StringComparison.Ordinal);
        Assert.Contains("\"contract_version\": \"v1.0\"", json, StringComparison.Ordinal);
        Assert.Contains("\"horizon_hours\": 72", json, StringComparison.Ordinal);
        Assert.Contains("\"event_prior\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Predict_RecentJump_RaisesProbabilityAndKeepsContract()
    {
        var model = InterruptionModelLoader.Load(TestModels.Artifact(), TestModels.Reference).Model!;
        var at = new DateTimeOffset(2021, 3, 2, 5, 0, 0, TimeSpan.Zero);

        var flat = model.Predict(InterruptionContract.RequestFor("m5.large", "a", [0.03, 0.03, 0.03], at));
        var jumped = model.Predict(InterruptionContract.RequestFor("m5.large", "a", [0.03, 0.03, 0.036], at));

        Assert.True(jumped.InterruptionProbability > flat.InterruptionProbability);
        Assert.True(ContractValidator.ValidatePrediction(jumped).IsValid);
        Assert.NotEqual(flat.PredictionId, jumped.PredictionId);
    }

    [Fact]
    public void Predict_WorseAdvisorBucket_HigherProbabilityAtSamePrices()
    {
        var model = InterruptionModelLoader.Load(TestModels.Artifact(), TestModels.Reference).Model!;
        var at = new DateTimeOffset(2021, 3, 2, 5, 0, 0, TimeSpan.Zero);

        var bucket0 = model.Predict(InterruptionContract.RequestFor("c5.xlarge", "a", [0.05, 0.05], at));
        var bucket4 = model.Predict(InterruptionContract.RequestFor("r5.large", "a", [0.05, 0.05], at));

        Assert.True(bucket4.InterruptionProbability > bucket0.InterruptionProbability);
    }

    [Theory]
    [InlineData("{ not json")]
    [InlineData("""{"format": "spotoptimizer.interruption-model"}""")]
    [InlineData("""{"format": "x", "surprise": 1}""")]
    public void Load_CorruptJson_NoModelWithReason(string json)
    {
        var loaded = InterruptionModelLoader.Load(Json(json), TestModels.Reference);

        Assert.False(loaded.Loaded);
        Assert.NotEmpty(loaded.Errors);
    }

    [Fact]
    public void Load_WrongContractVersion_Rejected()
    {
        var loaded = InterruptionModelLoader.Load(TestModels.Artifact() with { ContractVersion = "v0.9" }, TestModels.Reference);

        Assert.Contains(loaded.Errors, e => e.Contains("contract_version", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_FeaturesOutOfOrder_Rejected()
    {
        var artifact = TestModels.Artifact();
        var loaded = InterruptionModelLoader.Load(artifact with { Features = artifact.Features.Reverse().ToList() }, TestModels.Reference);

        Assert.Contains(loaded.Errors, e => e.Contains("features must be", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_NonFiniteWeightOrZeroScale_Rejected()
    {
        var artifact = TestModels.Artifact();
        var features = artifact.Features.ToList();
        features[0] = features[0] with { Weight = double.NaN };
        features[1] = features[1] with { Scale = 0 };

        var loaded = InterruptionModelLoader.Load(artifact with { Features = features }, TestModels.Reference);

        Assert.Equal(2, loaded.Errors.Count);
    }

    [Fact]
    public void Load_ArtifactPassingStructureButAnsweringNaN_RejectedByProbe()
    {
        // Finite numbers everywhere, yet two terms overflow to +∞ and −∞, and their sum is NaN.
        var artifact = TestModels.Artifact();
        var features = artifact.Features.Select(f => f.Name switch
        {
            "hour_cos" => f with { Mean = -double.MaxValue, Scale = 1e-300, Weight = 1 },
            "hour_sin" => f with { Mean = -double.MaxValue, Scale = 1e-300, Weight = -1 },
            _ => f,
        }).ToList();

        var loaded = InterruptionModelLoader.Load(artifact with { Features = features }, TestModels.Reference);

        Assert.False(loaded.Loaded);
        Assert.Contains(loaded.Errors, e => e.Contains("probe", StringComparison.Ordinal));
    }

    [Fact]
    public void Train_LabelDrivenByOneFeature_LearnsItsSignAndRanksWell()
    {
        var random = new Random(7);
        var rows = new List<double[]>();
        var labels = new List<bool>();
        for (var i = 0; i < 4000; i++)
        {
            var x = Enumerable.Range(0, RiskFeatures.Count).Select(_ => random.NextDouble()).ToArray();
            rows.Add(x);
            labels.Add(random.NextDouble() < LogisticInterruptionModel.Sigmoid(6 * x[5] - 4));
        }

        var fit = LogisticRegressionTrainer.Train(TrainingSet.FromRows(rows, labels, rows.Select(_ => (int?)0).ToList()));

        Assert.True(fit.Converged);
        Assert.True(fit.Weights[5] > 1, $"weight {fit.Weights[5]}");
        Assert.All(fit.Weights.Where((_, i) => i != 5), w => Assert.InRange(w, -0.3, 0.3));
        var scores = rows.Select(r => fit.Probability(r)).ToArray();
        Assert.True(ClassificationMetrics.Auc(scores, labels.Select(l => (byte)(l ? 1 : 0)).ToArray()) > 0.75);
    }

    [Fact]
    public void TrainPipeline_SyntheticMomentumMarket_LoadableArtifactWithHeldOutMetrics()
    {
        var book = TestModels.MomentumMarket(pools: 24, hours: 900, seed: 3);
        var grid = HourlyPriceGrid.Build(book, book.Start, 900);
        var reference = new RiskReferenceData(new Dictionary<string, double>(), new Dictionary<string, int>());

        var outcome = InterruptionModelTraining.Train(grid, reference, book.Start.AddHours(500), new ModelTrainingOptions("synthetic-1", "test", LabelDefinition.PriceRise(24, 0.03), SampleEveryHours: 2));

        var evaluation = outcome.Artifact.Evaluation!;
        Assert.True(outcome.TrainExamples > 1000 && outcome.TestExamples > 1000);
        Assert.True(evaluation.Positives > 0);
        Assert.True(evaluation.Auc > 0.6, $"AUC {evaluation.Auc}");
        Assert.True(evaluation.LogLoss < evaluation.PriorLogLoss, $"{evaluation.LogLoss} vs prior {evaluation.PriorLogLoss}");
        Assert.True(evaluation.From > outcome.Artifact.Training.To.AddHours(24), "a training label would overlap the test period");
        Assert.True(InterruptionModelLoader.Load(outcome.Artifact, reference).Loaded);
    }

    [Fact]
    public void LoadDefault_EmbeddedArtifact_PassesValidationWithHeldOutMetrics()
    {
        var loaded = InterruptionModels.LoadDefault(TestModels.Reference);

        Assert.True(loaded.Loaded, string.Join("; ", loaded.Errors));
        var evaluation = loaded.Model!.Artifact.Evaluation!;
        Assert.True(evaluation.Auc > evaluation.HeuristicAuc && evaluation.LogLoss < evaluation.PriorLogLoss);
        Assert.Equal(72, loaded.Model.Artifact.Label.HorizonHours);
    }

    [Fact]
    public void Auc_KnownRanking_ExactValues()
    {
        Assert.Equal(1.0, ClassificationMetrics.Auc([0.1, 0.2, 0.8, 0.9], [0, 0, 1, 1]));
        Assert.Equal(0.0, ClassificationMetrics.Auc([0.9, 0.8, 0.2, 0.1], [0, 0, 1, 1]));
        Assert.Equal(0.5, ClassificationMetrics.Auc([0.5, 0.5, 0.5, 0.5], [0, 1, 0, 1]));
        Assert.Equal(0.75, ClassificationMetrics.Auc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1]));
    }

    [Fact]
    public void LogLoss_KnownValues()
    {
        Assert.Equal(Math.Log(2), ClassificationMetrics.LogLoss([0.5, 0.5], [0, 1]), 12);
        Assert.Equal(-Math.Log(0.9), ClassificationMetrics.LogLoss([0.1, 0.9], [0, 1]), 12);
    }
}
