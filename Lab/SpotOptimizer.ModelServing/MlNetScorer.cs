using Microsoft.ML;
using Microsoft.ML.Data;
using SpotOptimizer.Optimization.Lab;
using SpotOptimizer.Optimization.MachineLearning;

namespace SpotOptimizer.ModelServing;

/// <summary>
/// An ML.NET transformer saved with <c>MLContext.Model.Save</c>, fed a <c>Features</c> vector column. Rows are scored
/// through a pool of prediction engines (<see cref="PredictionEngines{TRow, TPrediction}"/>): concurrent callers never
/// share one.
/// </summary>
public sealed class MlNetScorer : IModelScorer
{
    private readonly PredictionEngines<FeatureRow, ProbabilityRow> _engines;

    private MlNetScorer(MLContext ml, ITransformer model, SchemaDefinition input) => _engines = new(ml, model, input);

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
        return _engines.With(engine =>
        {
            var probabilities = new float[rows];
            for (var i = 0; i < rows; i++) probabilities[i] = engine.Predict(new FeatureRow { Features = features[(i * k)..((i + 1) * k)] }).Probability;
            return new ModelScores(probabilities, null);
        });
    }

    public void Dispose() => _engines.Dispose();

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
