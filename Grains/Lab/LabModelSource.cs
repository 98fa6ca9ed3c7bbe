using SpotOptimizer.Grains.Interfaces.Lab;
using SpotOptimizer.Optimization.Risk;

namespace SpotOptimizer.Grains.Lab;

/// <summary>The models an experiment may score with, by id: <see cref="LabModelIds.BuiltIn"/>, the model shipped in the product.</summary>
public sealed class LabModelSource
{
    /// <summary>The model's predictor over the market's reference data, or null for an unknown id.</summary>
    public Task<IInterruptionPredictor?> PredictorForAsync(string modelId, RiskReferenceData reference, CancellationToken cancellationToken) =>
        Task.FromResult<IInterruptionPredictor?>(modelId == LabModelIds.BuiltIn ? InterruptionModels.LoadDefault(reference).Model : null);
}
