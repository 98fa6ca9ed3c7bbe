namespace SpotOptimizer.Optimization.Risk;

/// <summary>
/// The static heuristic (MOD-AI-01's fallback, failure mode L1): a pool's interruption probability is the middle of
/// its type's Spot Advisor bucket, i.e. the share of instances AWS interrupted over the trailing month
/// (&lt;5% → 0.025 … &gt;20% → 0.30). A type the advisor does not list is treated as the worst bucket.
/// </summary>
public sealed class BucketHeuristic(RiskReferenceData reference) : IInterruptionPredictor
{
    public const string ModelVersion = "static-bucket-heuristic";

    /// <summary>Confidence of a heuristic answer: a regional monthly average says little about one pool today.</summary>
    public const double Confidence = 0.25;

    private static readonly double[] Midpoints = [0.025, 0.075, 0.125, 0.175, 0.30];

    public string Version => ModelVersion;

    public static double Probability(int? bucket) => bucket is { } b ? Midpoints[Math.Clamp(b, 0, Midpoints.Length - 1)] : Midpoints[^1];

    public InterruptionPrediction Predict(InterruptionPredictionRequest request)
    {
        var bucket = reference.Bucket(request.Features.InstanceType);
        var probability = Probability(bucket);
        return new InterruptionPrediction(
            PredictionIds.For(request, ModelVersion),
            probability,
            bucket is null ? Confidence / 2 : Confidence,
            InterruptionContract.ActionFor(probability));
    }
}
