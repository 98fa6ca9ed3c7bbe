using System.Collections.Concurrent;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace SpotOptimizer.Optimization.MachineLearning;

/// <summary>
/// The prediction engines of one ML.NET model. Engines are not thread-safe: each prediction rents an idle one (a new
/// one when all are busy) and gives it back, so concurrent callers never share an engine and the pool grows only to
/// the peak concurrency. Disposing disposes the idle engines and the model.
/// </summary>
public sealed class PredictionEngines<TRow, TPrediction>(MLContext ml, ITransformer model, SchemaDefinition input) : IDisposable
    where TRow : class
    where TPrediction : class, new()
{
    private readonly ConcurrentBag<PredictionEngine<TRow, TPrediction>> _idle = [];

    // MLContext does not promise thread safety: engines are made one at a time, then each serves one caller at a time.
    private readonly Lock _creating = new();

    /// <summary>Runs <paramref name="use"/> with an engine no other caller holds meanwhile.</summary>
    public T With<T>(Func<PredictionEngine<TRow, TPrediction>, T> use)
    {
        var engine = Rent();
        try
        {
            return use(engine);
        }
        finally
        {
            _idle.Add(engine);
        }
    }

    public void Dispose()
    {
        while (_idle.TryTake(out var engine)) engine.Dispose();
        (model as IDisposable)?.Dispose();
    }

    private PredictionEngine<TRow, TPrediction> Rent()
    {
        if (_idle.TryTake(out var engine)) return engine;
        lock (_creating) return ml.Model.CreatePredictionEngine<TRow, TPrediction>(model, inputSchemaDefinition: input);
    }
}
