using SpotOptimizer.Optimization.Lab;

namespace SpotOptimizer.ModelServing;

/// <summary>
/// A loaded model that answers a batch of feature rows (row-major, <see cref="ModelInterface.FeatureCount"/> per row).
/// Implementations are safe to call from several threads at once: the platform scores pools in parallel jobs.
/// </summary>
public interface IModelScorer : IDisposable
{
    ModelScores Score(float[] features, int rows);
}

/// <summary>One probability per row, and a confidence per row when the model gives one.</summary>
public sealed record ModelScores(float[] Probability, float[]? Confidence);

/// <summary>The model cannot be used as the Lab's interface says (missing input or output, wrong type or shape).</summary>
public sealed class ModelInterfaceException(string message) : Exception(message);

/// <summary>Opens a model's bytes with the runtime of its format.</summary>
public static class ModelScorers
{
    /// <exception cref="ModelInterfaceException">The model loads but has not the Lab's input or outputs, or the format is unknown.</exception>
    /// <exception cref="Exception">The bytes are not a model the format's runtime can load (each runtime throws its own types).</exception>
    public static IModelScorer Load(string format, byte[] content) => format switch
    {
        ModelFormats.Onnx => OnnxScorer.Load(content),
        ModelFormats.MlNetZip => MlNetScorer.Load(content),
        _ => throw new ModelInterfaceException($"has the unknown format '{format}' (expected {ModelFormats.Onnx} or {ModelFormats.MlNetZip})"),
    };
}
