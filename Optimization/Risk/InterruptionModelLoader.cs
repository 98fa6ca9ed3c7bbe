using System.Text.Json;

namespace SpotOptimizer.Optimization.Risk;

/// <summary>A loaded model, or why there is none (the caller then runs on the heuristic: failure mode L1).</summary>
public sealed record ModelLoadResult(LogisticInterruptionModel? Model, IReadOnlyList<string> Errors)
{
    public bool Loaded => Model is not null;
}

/// <summary>
/// MOD-VAL-01 for model artifacts: parse, check the structure, then feed the seed's probe input and validate the
/// answer against contract v1.0. Only a model that passes every step is returned.
/// </summary>
public static class InterruptionModelLoader
{
    public static ModelLoadResult Load(Stream json, RiskReferenceData reference)
    {
        InterruptionModelArtifact? artifact;
        try
        {
            artifact = JsonSerializer.Deserialize<InterruptionModelArtifact>(json, InterruptionModelArtifact.JsonOptions);
        }
        catch (JsonException exception)
        {
            return new(null, [$"artifact is not valid JSON for {InterruptionModelArtifact.FormatName}: {exception.Message}"]);
        }

        return artifact is null ? new(null, ["artifact is empty"]) : Load(artifact, reference);
    }

    public static ModelLoadResult Load(InterruptionModelArtifact artifact, RiskReferenceData reference)
    {
        var errors = Check(artifact);
        if (errors.Count > 0) return new(null, errors);
        var model = new LogisticInterruptionModel(artifact, reference);
        try
        {
            var answer = model.Predict(InterruptionContract.Probe);
            var validation = ContractValidator.ValidatePrediction(answer);
            if (!validation.IsValid) return new(null, [$"probe answer breaks contract {InterruptionContract.Version}: {validation}"]);
        }
        catch (Exception exception)
        {
            return new(null, [$"probe threw {exception.GetType().Name}: {exception.Message}"]);
        }

        return new(model, []);
    }

    private static List<string> Check(InterruptionModelArtifact a)
    {
        var errors = new List<string>();
        if (a.Format != InterruptionModelArtifact.FormatName) errors.Add($"format '{a.Format}' is not '{InterruptionModelArtifact.FormatName}'");
        if (a.ModelKind != InterruptionModelArtifact.LogisticRegression) errors.Add($"model_kind '{a.ModelKind}' is not supported");
        if (string.IsNullOrWhiteSpace(a.Version)) errors.Add("version is missing");
        if (a.ContractVersion != InterruptionContract.Version) errors.Add($"contract_version '{a.ContractVersion}' is not '{InterruptionContract.Version}'");
        if (a.FeatureSet != RiskFeatures.FeatureSet) errors.Add($"feature_set '{a.FeatureSet}' is not '{RiskFeatures.FeatureSet}'");
        if (a.Label is null) errors.Add("label is missing");
        if (a.Training is null) errors.Add("training is missing");
        if (a.Output is null) errors.Add("output is missing");
        else if (a.Output.Kind != OutputMapping.AdvisorProportionalHazard) errors.Add($"output.kind '{a.Output.Kind}' is not supported");
        else if (!(a.Output.EventPrior is > 0 and < 1) || !(a.Output.MinRelativeRisk > 0) || !(a.Output.MaxRelativeRisk >= a.Output.MinRelativeRisk))
        {
            errors.Add("output needs 0 < event_prior < 1 and 0 < min_relative_risk <= max_relative_risk");
        }
        if (!double.IsFinite(a.Intercept)) errors.Add("intercept is not finite");
        var features = a.Features ?? [];
        if (!features.Select(f => f?.Name).SequenceEqual(RiskFeatures.Names))
        {
            errors.Add($"features must be, in order: {string.Join(", ", RiskFeatures.Names)}");
            return errors;
        }

        foreach (var f in features)
        {
            if (!double.IsFinite(f.Mean) || !double.IsFinite(f.Weight)) errors.Add($"feature {f.Name}: mean and weight must be finite");
            if (!double.IsFinite(f.Scale) || f.Scale <= 0) errors.Add($"feature {f.Name}: scale must be positive");
        }

        return errors;
    }
}
