using SpotOptimizer.Optimization.Risk;

namespace SpotOptimizer.Optimization.Tests.Risk;

public sealed class RiskAssessorTests
{
    private static readonly InterruptionPredictionRequest Request =
        InterruptionContract.RequestFor("r5.large", "us-east-1a", [0.03, 0.031], new DateTimeOffset(2021, 3, 2, 5, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Assess_ValidModel_ModelAnswers()
    {
        var assessor = RiskAssessor.From(InterruptionModelLoader.Load(TestModels.Artifact(), TestModels.Reference), TestModels.Reference);

        var assessment = assessor.Assess(Request);

        Assert.Equal((RiskSource.Model, "test-1.0.0", (string?)null), (assessment.Source, assessment.ModelVersion, assessment.FallbackReason));
    }

    [Fact]
    public void Assess_ModelThrows_HeuristicAnswersAndSaysWhy()
    {
        var assessor = new RiskAssessor(new ThrowingModel(), TestModels.Reference);

        var assessment = assessor.Assess(Request);

        Assert.Equal(RiskSource.HeuristicFallback, assessment.Source);
        Assert.Contains("threw InvalidOperationException", assessment.FallbackReason, StringComparison.Ordinal);
        Assert.Equal(BucketHeuristic.Probability(4), assessment.Probability);
        Assert.True(ContractValidator.ValidatePrediction(assessment.Prediction).IsValid);
    }

    [Fact]
    public void Assess_ModelAnswersOutOfContract_HeuristicAnswers()
    {
        var assessor = new RiskAssessor(new FixedModel(new InterruptionPrediction("id", 1.7, 0.5, RecommendedAction.Avoid)), TestModels.Reference);

        var assessment = assessor.Assess(Request);

        Assert.Equal(RiskSource.HeuristicFallback, assessment.Source);
        Assert.Contains("out of contract", assessment.FallbackReason, StringComparison.Ordinal);
    }

    [Fact]
    public void Assess_CorruptArtifact_HeuristicWithLoadErrors()
    {
        using var json = new MemoryStream("{\"format\": 42}"u8.ToArray());
        var assessor = RiskAssessor.From(InterruptionModelLoader.Load(json, TestModels.Reference), TestModels.Reference);

        var assessment = assessor.Assess(Request);

        Assert.False(assessor.ModelAvailable);
        Assert.Equal(RiskSource.HeuristicFallback, assessment.Source);
        Assert.StartsWith("model artifact rejected", assessment.FallbackReason, StringComparison.Ordinal);
    }

    [Fact]
    public void Assess_RequestBreaksContract_HeuristicWithoutCallingModel()
    {
        var model = new ThrowingModel();
        var assessor = new RiskAssessor(model, TestModels.Reference);

        var assessment = assessor.Assess(Request with { ContractVersion = "v2" });

        Assert.Equal(RiskSource.HeuristicFallback, assessment.Source);
        Assert.Contains("request breaks contract", assessment.FallbackReason, StringComparison.Ordinal);
        Assert.Equal(0, model.Calls);
    }

    [Fact]
    public void Heuristic_UnknownType_WorstBucketAndLowConfidence()
    {
        var prediction = new BucketHeuristic(TestModels.Reference).Predict(InterruptionContract.RequestFor("zz1.large", "a", [1], DateTimeOffset.UnixEpoch));

        Assert.Equal(0.30, prediction.InterruptionProbability);
        Assert.Equal(RecommendedAction.Caution, prediction.RecommendedAction);
        Assert.True(prediction.ConfidenceScore < BucketHeuristic.Confidence);
    }

    private sealed class ThrowingModel : IInterruptionPredictor
    {
        public int Calls { get; private set; }

        public string Version => "broken-9";

        public InterruptionPrediction Predict(InterruptionPredictionRequest request)
        {
            Calls++;
            throw new InvalidOperationException("weights unreadable");
        }
    }

    private sealed class FixedModel(InterruptionPrediction answer) : IInterruptionPredictor
    {
        public string Version => "fixed-1";

        public InterruptionPrediction Predict(InterruptionPredictionRequest request) => answer;
    }
}
