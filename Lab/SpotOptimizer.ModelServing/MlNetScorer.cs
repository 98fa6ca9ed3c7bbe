using System.Collections.Concurrent;
using Microsoft.ML;
using Microsoft.ML.Data;
using SpotOptimizer.Optimization.Lab;

namespace SpotOptimizer.ModelServing;

/// <summary>
/// An ML.NET transformer saved with <c>MLContext.Model.Save</c>, fed a <c>Features</c> vector column. Rows are scored
/// through prediction engines, which are not thread-safe: each call rents one from a pool of idle engines (a new one
/// when all are busy) and gives it back, so concurrent callers never share an engine and the pool grows only to the
/// peak concurrency.
/// </summary>
public sealed class MlNetScorer : IModelScorer
{
    private readonly MLContext _ml;
    private readonly ITransformer _model;
    private readonly SchemaDefinition _input;
    private readonly ConcurrentBag<PredictionEngine<FeatureRow, ProbabilityRow>> _idle = [];

    // MLContext does not promise thread safety: engines are made one at a time, then each is used by one caller at a time.
    private readonly Lock _creating = new();

    private MlNetScorer(MLContext ml, ITransformer model, SchemaDefinition input)
    {
        _ml = ml;
        _model = model;
        _input = input;
    }

    /// <exception cref="ModelInterfaceException">The model loads but does not read the Lab's features or write a float probability.</exception>
    /// <exception cref="Exception">The zip is not an ML.NET model this runtime can load (ML.NET throws several types).</exception>
    public static MlNetScorer Load(byte[] zip)
    {
        var ml = new MLContext(seed: 0);
        using var stream = new MemoryStream(zip, writable: false);
        var model = ml.Model.Load(stream, out _);
        var input = InputSchema();
        try
        {
            RequireInterface(ml, model, input);
        }
        catch (ModelInterfaceException)
        {
            (model as IDisposable)?.Dispose();
            throw;
        }

        return new MlNetScorer(ml, model, input);
    }

    public ModelScores Score(float[] features, int rows)
    {
        var k = ModelInterface.FeatureCount;
        var engine = Rent();
        try
        {
            var probabilities = new float[rows];
            for (var i = 0; i < rows; i++) probabilities[i] = engine.Predict(new FeatureRow { Features = features[(i * k)..((i + 1) * k)] }).Probability;
            return new ModelScores(probabilities, null);
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

    /// <summary>Checks the model against the Lab's interface on its schema alone, before any row is scored.</summary>
    private static void RequireInterface(MLContext ml, ITransformer model, SchemaDefinition input)
    {
        var k = ModelInterface.FeatureCount;
        DataViewSchema output;
        try
        {
            output = model.GetOutputSchema(ml.Data.LoadFromEnumerable(Array.Empty<FeatureRow>(), input).Schema);
        }
        catch (Exception exception) when (exception is ArgumentException or InvalidOperationException)
        {
            throw new ModelInterfaceException($"does not accept a float vector '{ModelInterface.MlNetFeatures}' of size {k}: {exception.Message}");
        }

        if (output.GetColumnOrNull(ModelInterface.MlNetProbability) is not { Type: var type } || type != NumberDataViewType.Single)
        {
            throw new ModelInterfaceException($"needs a float output column '{ModelInterface.MlNetProbability}'; has {string.Join(", ", output.Select(c => $"'{c.Name}' ({c.Type})"))}");
        }
    }

    private static SchemaDefinition InputSchema()
    {
        var schema = SchemaDefinition.Create(typeof(FeatureRow));
        schema[nameof(FeatureRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, ModelInterface.FeatureCount);
        return schema;
    }

    private sealed class FeatureRow
    {
        public float[] Features { get; set; } = [];
    }

    private sealed class ProbabilityRow
    {
        public float Probability { get; set; }
    }
}
