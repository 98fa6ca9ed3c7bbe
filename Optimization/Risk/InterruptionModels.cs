namespace SpotOptimizer.Optimization.Risk;

/// <summary>
/// The model artifact shipped inside this assembly (<c>Risk/Models/interruption-model.json</c>), so the product has a
/// model without the data pack. Loading validates it like any uploaded artifact; a caller that gets no model runs on
/// the heuristic (<see cref="RiskAssessor.From"/>).
/// </summary>
public static class InterruptionModels
{
    public const string ResourceName = "SpotOptimizer.Optimization.interruption-model.json";

    public static ModelLoadResult LoadDefault(RiskReferenceData reference)
    {
        using var stream = typeof(InterruptionModels).Assembly.GetManifestResourceStream(ResourceName);
        return stream is null ? new ModelLoadResult(null, [$"embedded artifact {ResourceName} is missing"]) : InterruptionModelLoader.Load(stream, reference);
    }
}
