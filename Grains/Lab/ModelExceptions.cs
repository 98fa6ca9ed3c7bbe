namespace SpotOptimizer.Grains.Lab;

/// <summary>No model with that id: neither <see cref="Optimization.Lab.BuiltinModel.Id"/> nor a registered one.</summary>
public sealed class ModelNotFoundException(string modelId) : Exception($"No interruption model '{modelId}' is registered.")
{
    public string ModelId { get; } = modelId;
}

/// <summary>The model exists but cannot serve here: its bytes do not load, or it does not answer the contract's test vector.</summary>
public sealed class ModelLoadException(string modelId, string reason, Exception? inner = null)
    : Exception($"Interruption model '{modelId}' cannot be served: {reason}", inner)
{
    public string ModelId { get; } = modelId;

    public string Reason { get; } = reason;
}
