namespace SpotOptimizer.Optimization.Risk;

/// <summary>
/// MOD-AI-01's model: a validated <see cref="InterruptionModelArtifact"/> applied to contract requests. Build it
/// through <see cref="InterruptionModelLoader"/>, which checks the artifact and probes it first.
/// </summary>
public sealed class LogisticInterruptionModel : IInterruptionPredictor
{
    private readonly double[] _means;
    private readonly double[] _scales;
    private readonly double[] _weights;
    private readonly double _intercept;
    private readonly RiskReferenceData _reference;
    private readonly double _reliability;

    internal LogisticInterruptionModel(InterruptionModelArtifact artifact, RiskReferenceData reference)
    {
        Artifact = artifact;
        _means = artifact.Features.Select(f => f.Mean).ToArray();
        _scales = artifact.Features.Select(f => f.Scale).ToArray();
        _weights = artifact.Features.Select(f => f.Weight).ToArray();
        _intercept = artifact.Intercept;
        _reference = reference;
        _reliability = ModelPredictions.Reliability(artifact.Evaluation?.Auc);
    }

    public InterruptionModelArtifact Artifact { get; }

    public string Version => Artifact.Version;

    public InterruptionPrediction Predict(InterruptionPredictionRequest request) =>
        ModelPredictions.Predict(request, Version, _reference, _reliability, InterruptionProbability);

    /// <summary>The contract's interruption probability without the envelope: the batch path of replay.</summary>
    public double InterruptionProbability(ReadOnlySpan<double> history, double? onDemandPrice, int? bucket, int hourOfDay, int dayOfWeek) =>
        Artifact.Output.InterruptionProbability(EventProbability(history, onDemandPrice, bucket, hourOfDay, dayOfWeek), bucket);

    /// <summary>The probability of the artifact's label event (what the regression was fitted to).</summary>
    public double EventProbability(ReadOnlySpan<double> history, double? onDemandPrice, int? bucket, int hourOfDay, int dayOfWeek)
    {
        Span<double> x = stackalloc double[RiskFeatures.Count];
        RiskFeatures.Compute(history, onDemandPrice, bucket, hourOfDay, dayOfWeek, x);
        return ProbabilityOf(x);
    }

    internal double ProbabilityOf(ReadOnlySpan<double> features)
    {
        var z = _intercept;
        for (var i = 0; i < _weights.Length; i++) z += _weights[i] * (features[i] - _means[i]) / _scales[i];
        return Sigmoid(z);
    }

    internal static double Sigmoid(double z) => z >= 0 ? 1 / (1 + Math.Exp(-z)) : Math.Exp(z) / (1 + Math.Exp(z));
}
