namespace SpotOptimizer.Optimization.Risk;

/// <summary>MOD-AI-01: anything that answers contract v1.0 requests.</summary>
public interface IInterruptionPredictor
{
    /// <summary>The model's version as recorded in decisions.</summary>
    string Version { get; }

    InterruptionPrediction Predict(InterruptionPredictionRequest request);
}
