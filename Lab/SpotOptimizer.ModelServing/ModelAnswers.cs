using SpotOptimizer.Optimization.Risk;

namespace SpotOptimizer.ModelServing;

/// <summary>
/// From a model's raw scores to contract v1.0 answers, the same in the sandbox and in production: the probability as
/// the model gave it (the contract check refuses one outside [0, 1]), its confidence or else the share of the window
/// the history covers, and the action from the contract's thresholds.
/// </summary>
public static class ModelAnswers
{
    public static InterruptionPrediction For(InterruptionPredictionRequest request, float probability, float? confidence, string modelVersion) =>
        new(PredictionIds.For(request, modelVersion),
            probability,
            confidence ?? RiskFeatures.Coverage(request.Features.SpotPriceHistory.Count),
            InterruptionContract.ActionFor(probability));
}
