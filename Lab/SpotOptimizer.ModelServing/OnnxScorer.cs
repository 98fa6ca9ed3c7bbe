using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using SpotOptimizer.Optimization.Lab;

namespace SpotOptimizer.ModelServing;

/// <summary>
/// An ONNX model on ONNX Runtime's CPU provider, one thread (the sandbox's CPU limit is per process, and the platform
/// scores one pool per call). <c>InferenceSession.Run</c> may be called concurrently on one session, so one scorer
/// serves every thread.
/// </summary>
public sealed class OnnxScorer : IModelScorer
{
    private readonly InferenceSession _session;
    private readonly bool _hasConfidence;

    private OnnxScorer(InferenceSession session, bool hasConfidence)
    {
        _session = session;
        _hasConfidence = hasConfidence;
    }

    /// <exception cref="OnnxRuntimeException">The bytes are not a model ONNX Runtime can load.</exception>
    /// <exception cref="ModelInterfaceException">The model loads but has not the Lab's input or outputs.</exception>
    public static OnnxScorer Load(byte[] model)
    {
        using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1 };
        var session = new InferenceSession(model, options);
        try
        {
            if (!session.InputMetadata.TryGetValue(ModelInterface.OnnxInput, out var input) || input.ElementDataType != TensorElementType.Float)
            {
                throw new ModelInterfaceException($"needs a float input '{ModelInterface.OnnxInput}' [N, {ModelInterface.FeatureCount}]; has {Names(session.InputMetadata)}");
            }

            if (session.InputMetadata.Count != 1) throw new ModelInterfaceException($"needs exactly one input; has {Names(session.InputMetadata)}");
            RequireFloat(session, ModelInterface.OnnxProbability, required: true);
            var hasConfidence = RequireFloat(session, ModelInterface.OnnxConfidence, required: false);
            return new OnnxScorer(session, hasConfidence);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    public ModelScores Score(float[] features, int rows)
    {
        using var input = OrtValue.CreateTensorValueFromMemory(features, [rows, ModelInterface.FeatureCount]);
        var inputs = new Dictionary<string, OrtValue> { [ModelInterface.OnnxInput] = input };
        string[] outputs = _hasConfidence ? [ModelInterface.OnnxProbability, ModelInterface.OnnxConfidence] : [ModelInterface.OnnxProbability];
        using var runOptions = new RunOptions();
        using var results = _session.Run(runOptions, inputs, outputs);
        return new ModelScores(PerRow(results[0], ModelInterface.OnnxProbability, rows), _hasConfidence ? PerRow(results[1], ModelInterface.OnnxConfidence, rows) : null);
    }

    public void Dispose() => _session.Dispose();

    private static bool RequireFloat(InferenceSession session, string name, bool required)
    {
        if (!session.OutputMetadata.TryGetValue(name, out var output))
        {
            return required ? throw new ModelInterfaceException($"needs a float output '{name}' [N]; has {Names(session.OutputMetadata)}") : false;
        }

        if (output.ElementDataType != TensorElementType.Float) throw new ModelInterfaceException($"output '{name}' is {output.ElementDataType}, not float");
        return true;
    }

    /// <summary>float[N] or float[N, 1]: one value per row, nothing else.</summary>
    private static float[] PerRow(OrtValue value, string name, int rows)
    {
        var shape = value.GetTensorTypeAndShape().Shape;
        var perRow = shape.Length == 1 && shape[0] == rows || shape.Length == 2 && shape[0] == rows && shape[1] == 1;
        if (!perRow) throw new ModelInterfaceException($"output '{name}' has shape [{string.Join(", ", shape)}] for {rows} rows; expected [{rows}] or [{rows}, 1]");
        return value.GetTensorDataAsSpan<float>().ToArray();
    }

    private static string Names(IReadOnlyDictionary<string, NodeMetadata> metadata) =>
        metadata.Count == 0 ? "none" : string.Join(", ", metadata.Select(m => $"'{m.Key}' ({m.Value.ElementDataType})"));
}
