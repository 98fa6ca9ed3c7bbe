using Microsoft.ML;
using Microsoft.ML.Data;
using SpotOptimizer.Optimization.Lab;

namespace SpotOptimizer.ModelSandbox;

/// <summary>An ML.NET transformer saved with <c>MLContext.Model.Save</c>, fed a <c>Features</c> vector column.</summary>
internal sealed class MlNetScorer(MLContext ml, ITransformer model) : IModelScorer
{
    /// <exception cref="Exception">The zip is not an ML.NET model this runtime can load (ML.NET throws several types).</exception>
    public static MlNetScorer Load(string path)
    {
        var ml = new MLContext(seed: 0);
        using var stream = File.OpenRead(path);
        return new MlNetScorer(ml, ml.Model.Load(stream, out _));
    }

    public ModelScores Score(float[] features, int rows)
    {
        var k = ModelInterface.FeatureCount;
        var schema = SchemaDefinition.Create(typeof(FeatureRow));
        schema[nameof(FeatureRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, k);
        var data = ml.Data.LoadFromEnumerable(Enumerable.Range(0, rows).Select(i => new FeatureRow { Features = features[(i * k)..((i + 1) * k)] }), schema);
        IDataView scored;
        try
        {
            scored = model.Transform(data);
        }
        catch (Exception exception) when (exception is ArgumentException or InvalidOperationException)
        {
            throw new ModelInterfaceException($"does not accept a float vector '{ModelInterface.MlNetFeatures}' of size {k}: {exception.Message}");
        }

        var column = scored.Schema.GetColumnOrNull(ModelInterface.MlNetProbability);
        if (column is not { Type: var type } || type != NumberDataViewType.Single)
        {
            throw new ModelInterfaceException($"needs a float output column '{ModelInterface.MlNetProbability}'; has {string.Join(", ", scored.Schema.Select(c => $"'{c.Name}' ({c.Type})"))}");
        }

        return new ModelScores([.. scored.GetColumn<float>(ModelInterface.MlNetProbability)], null);
    }

    public void Dispose()
    {
        (model as IDisposable)?.Dispose();
    }

    private sealed class FeatureRow
    {
        public float[] Features { get; set; } = [];
    }
}
