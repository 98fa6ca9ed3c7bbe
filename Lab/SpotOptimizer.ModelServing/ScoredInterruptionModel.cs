using SpotOptimizer.Optimization.Lab;
using SpotOptimizer.Optimization.Risk;

namespace SpotOptimizer.ModelServing;

/// <summary>
/// An uploaded model answering contract v1.0 requests in-process: the request's features as the Lab's interface
/// defines them (no reference data, as in the sandbox, so production sees what validation saw), scored one row at a
/// time. As thread-safe as its scorer, which every <see cref="IModelScorer"/> is.
/// </summary>
public sealed class ScoredInterruptionModel(IModelScorer scorer, string version) : IInterruptionPredictor, IDisposable
{
    /// <summary>What decisions record: the registry's <c>name@version</c>.</summary>
    public string Version => version;

    public InterruptionPrediction Predict(InterruptionPredictionRequest request)
    {
        var scores = scorer.Score(ModelInterface.Features([request]), 1);
        if (scores.Probability.Length != 1 || scores.Confidence is { Length: not 1 })
        {
            throw new ModelInterfaceException($"answered {scores.Probability.Length} rows for 1");
        }

        return ModelAnswers.For(request, scores.Probability[0], scores.Confidence?[0], version);
    }

    public void Dispose() => scorer.Dispose();
}
