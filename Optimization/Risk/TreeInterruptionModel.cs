using Microsoft.ML;
using Microsoft.ML.Data;
using SpotOptimizer.Optimization.MachineLearning;

namespace SpotOptimizer.Optimization.Risk;

/// <summary>
/// A validated tree-ensemble artifact (FastTree or LightGBM, <see cref="TreeModelArtifact"/>) applied to contract
/// requests: the same <see cref="RiskFeatures"/> and output mapping as <see cref="LogisticInterruptionModel"/>, the
/// event probability from the ML.NET model, through a pool of prediction engines (<see cref="PredictionEngines{TRow, TPrediction}"/>:
/// concurrent decisions never share one). Build it through
/// <see cref="TreeInterruptionModelLoader"/>.
/// </summary>
public sealed class TreeInterruptionModel : IInterruptionPredictor, IDisposable
{
    private readonly PredictionEngines<FeatureRow, ProbabilityRow> _engines;
    private readonly RiskReferenceData _reference;
    private readonly double _reliability;

    internal TreeInterruptionModel(TreeModelManifest manifest, MLContext ml, ITransformer model, RiskReferenceData reference)
    {
        Manifest = manifest;
        _engines = new(ml, model, InputSchema());
        _reference = reference;
        _reliability = ModelPredictions.Reliability(manifest.Evaluation?.Auc);
    }

    public TreeModelManifest Manifest { get; }

    public string Version => Manifest.Version;

    public InterruptionPrediction Predict(InterruptionPredictionRequest request) =>
        ModelPredictions.Predict(request, Version, _reference, _reliability, InterruptionProbability);

    /// <summary>The contract's interruption probability without the envelope.</summary>
    public double InterruptionProbability(ReadOnlySpan<double> history, double? onDemandPrice, int? bucket, int hourOfDay, int dayOfWeek) =>
        Manifest.Output.InterruptionProbability(EventProbability(history, onDemandPrice, bucket, hourOfDay, dayOfWeek), bucket);

    /// <summary>The probability of the artifact's label event.</summary>
    public double EventProbability(ReadOnlySpan<double> history, double? onDemandPrice, int? bucket, int hourOfDay, int dayOfWeek)
    {
        Span<double> x = stackalloc double[RiskFeatures.Count];
        RiskFeatures.Compute(history, onDemandPrice, bucket, hourOfDay, dayOfWeek, x);
        var features = new float[x.Length];
        for (var i = 0; i < x.Length; i++) features[i] = (float)x[i];
        return _engines.With(engine => engine.Predict(new FeatureRow { Features = features }).Probability);
    }

    public void Dispose() => _engines.Dispose();

    internal static SchemaDefinition InputSchema()
    {
        var schema = SchemaDefinition.Create(typeof(FeatureRow));
        schema[nameof(FeatureRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, RiskFeatures.Count);
        return schema;
    }

    internal sealed class FeatureRow
    {
        public float[] Features { get; set; } = [];
    }

    internal sealed class ProbabilityRow
    {
        public float Probability { get; set; }
    }
}
