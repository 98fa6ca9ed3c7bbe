namespace SpotOptimizer.Optimization.Risk;

/// <summary>A trained model's interruption probability for one pool and hour (the contract's, not the label event's).</summary>
internal delegate double PoolProbability(ReadOnlySpan<double> history, double? onDemandPrice, int? bucket, int hourOfDay, int dayOfWeek);

/// <summary>
/// What every trained model does around its own probability: read the request's features and reference data, and
/// wrap the answer in the contract's envelope (id, confidence, action). One place, so the models cannot drift apart.
/// </summary>
internal static class ModelPredictions
{
    /// <summary>Skill on held-out data (Gini = 2·AUC − 1) caps the confidence; an unevaluated model gets a modest 0.5.</summary>
    public static double Reliability(double? auc) => auc is { } a ? Math.Clamp(2 * a - 1, 0.05, 1) : 0.5;

    public static InterruptionPrediction Predict(InterruptionPredictionRequest request, string version, RiskReferenceData reference, double reliability,
        PoolProbability probabilityOf)
    {
        var f = request.Features;
        var history = f.SpotPriceHistory as double[] ?? [.. f.SpotPriceHistory];
        var probability = probabilityOf(history, reference.OnDemandPrice(f.InstanceType), reference.Bucket(f.InstanceType), f.HourOfDay, f.DayOfWeek);
        return new InterruptionPrediction(
            PredictionIds.For(request, version),
            probability,
            RiskFeatures.Coverage(history.Length) * reliability,
            InterruptionContract.ActionFor(probability));
    }
}
