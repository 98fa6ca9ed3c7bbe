using System.Collections.Concurrent;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace SpotOptimizer.Optimization.Risk;

/// <summary>
/// A validated tree-ensemble artifact (FastTree or LightGBM, <see cref="TreeModelArtifact"/>) applied to contract
/// requests: the same <see cref="RiskFeatures"/> and output mapping as <see cref="LogisticInterruptionModel"/>, the
/// event probability from the ML.NET model. ML.NET prediction engines are not thread-safe: each call rents an idle
/// one (a new one when all are busy), so concurrent decisions never share one. Build it through
/// <see cref="TreeInterruptionModelLoader"/>.
/// </summary>
public sealed class TreeInterruptionModel : IInterruptionPredictor, IDisposable
{
    private readonly MLContext _ml;
    private readonly ITransformer _model;
    private readonly SchemaDefinition _input;
    private readonly RiskReferenceData _reference;
    private readonly double _reliability;
    private readonly ConcurrentBag<PredictionEngine<FeatureRow, ProbabilityRow>> _idle = [];

    // MLContext does not promise thread safety: engines are made one at a time, then each serves one caller at a time.
    private readonly Lock _creating = new();

    internal TreeInterruptionModel(TreeModelManifest manifest, MLContext ml, ITransformer model, RiskReferenceData reference)
    {
        Manifest = manifest;
        _ml = ml;
        _model = model;
        _reference = reference;
        _input = InputSchema();
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
        var engine = Rent();
        try
        {
            return engine.Predict(new FeatureRow { Features = features }).Probability;
        }
        finally
        {
            _idle.Add(engine);
        }
    }

    public void Dispose()
    {
        while (_idle.TryTake(out var engine)) engine.Dispose();
        (_model as IDisposable)?.Dispose();
    }

    private PredictionEngine<FeatureRow, ProbabilityRow> Rent()
    {
        if (_idle.TryTake(out var engine)) return engine;
        lock (_creating) return _ml.Model.CreatePredictionEngine<FeatureRow, ProbabilityRow>(_model, inputSchemaDefinition: _input);
    }

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
