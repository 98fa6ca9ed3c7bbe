namespace SpotOptimizer.ModelSandbox;

/// <summary>A loaded model that answers a batch of feature rows.</summary>
internal interface IModelScorer : IDisposable
{
    ModelScores Score(float[] features, int rows);
}

/// <summary>One probability per row, and a confidence per row when the model gives one.</summary>
internal sealed record ModelScores(float[] Probability, float[]? Confidence);

/// <summary>The model cannot be used as the Lab's interface says (missing input or output, wrong type or shape).</summary>
internal sealed class ModelInterfaceException(string message) : Exception(message);
