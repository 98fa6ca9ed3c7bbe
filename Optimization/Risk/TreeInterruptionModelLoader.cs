using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace SpotOptimizer.Optimization.Risk;

/// <summary>A loaded tree model, or why there is none (the caller then runs on the heuristic: failure mode L1).</summary>
public sealed record TreeModelLoadResult(TreeInterruptionModel? Model, IReadOnlyList<string> Errors)
{
    public bool Loaded => Model is not null;
}

/// <summary>
/// MOD-VAL-01 for tree artifacts, as <see cref="InterruptionModelLoader"/> does for the logistic one: open the zip,
/// check the manifest, load the ML.NET model (its schema must read the feature vector and write a float
/// probability), then feed the seed's probe input and validate the answer against contract v1.0.
/// </summary>
public static class TreeInterruptionModelLoader
{
    public static TreeModelLoadResult Load(Stream zip, RiskReferenceData reference)
    {
        TreeModelArtifact artifact;
        try
        {
            artifact = TreeModelArtifact.FromZip(zip);
        }
        catch (Exception exception) when (exception is InvalidDataException or JsonException)
        {
            return new(null, [$"artifact is not a {TreeModelManifest.FormatName} zip: {exception.Message}"]);
        }

        return Load(artifact, reference);
    }

    public static TreeModelLoadResult Load(TreeModelArtifact artifact, RiskReferenceData reference)
    {
        var errors = Check(artifact.Manifest);
        if (errors.Count > 0) return new(null, errors);
        var ml = new MLContext(seed: artifact.Manifest.Training.Seed);
        ITransformer transformer;
        try
        {
            using var stream = new MemoryStream(artifact.MlNetModel, writable: false);
            transformer = ml.Model.Load(stream, out _);
            var output = transformer.GetOutputSchema(ml.Data.LoadFromEnumerable(Array.Empty<TreeInterruptionModel.FeatureRow>(), TreeInterruptionModel.InputSchema()).Schema);
            if (output.GetColumnOrNull("Probability") is not { Type: var type } || type != NumberDataViewType.Single)
            {
                return new(null, ["the ML.NET model writes no float 'Probability' column"]);
            }
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // ML.NET throws several types for a model it cannot load or that does not read our features: all mean the same here.
            return new(null, [$"{TreeModelArtifact.ModelEntry} is not a loadable ML.NET model over {RiskFeatures.Count} features: {exception.GetType().Name}: {exception.Message}"]);
        }

        var model = new TreeInterruptionModel(artifact.Manifest, ml, transformer, reference);
        try
        {
            var validation = ContractValidator.ValidatePrediction(model.Predict(InterruptionContract.Probe));
            if (!validation.IsValid)
            {
                model.Dispose();
                return new(null, [$"probe answer breaks contract {InterruptionContract.Version}: {validation}"]);
            }
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            model.Dispose();
            return new(null, [$"probe threw {exception.GetType().Name}: {exception.Message}"]);
        }

        return new(model, []);
    }

    private static List<string> Check(TreeModelManifest m)
    {
        var errors = new List<string>();
        if (m.Format != TreeModelManifest.FormatName) errors.Add($"format '{m.Format}' is not '{TreeModelManifest.FormatName}'");
        if (m.ModelKind is not (TreeModelManifest.FastTree or TreeModelManifest.LightGbm)) errors.Add($"model_kind '{m.ModelKind}' is not supported");
        if (string.IsNullOrWhiteSpace(m.Version)) errors.Add("version is missing");
        if (m.ContractVersion != InterruptionContract.Version) errors.Add($"contract_version '{m.ContractVersion}' is not '{InterruptionContract.Version}'");
        if (m.FeatureSet != RiskFeatures.FeatureSet) errors.Add($"feature_set '{m.FeatureSet}' is not '{RiskFeatures.FeatureSet}'");
        if (!(m.Features ?? []).SequenceEqual(RiskFeatures.Names)) errors.Add($"features must be, in order: {string.Join(", ", RiskFeatures.Names)}");
        if (m.Label is null) errors.Add("label is missing");
        if (m.Training is null) errors.Add("training is missing");
        if (m.Output is null) errors.Add("output is missing");
        else if (m.Output.Kind != OutputMapping.AdvisorProportionalHazard) errors.Add($"output.kind '{m.Output.Kind}' is not supported");
        else if (!(m.Output.EventPrior is > 0 and < 1) || !(m.Output.MinRelativeRisk > 0) || !(m.Output.MaxRelativeRisk >= m.Output.MinRelativeRisk))
        {
            errors.Add("output needs 0 < event_prior < 1 and 0 < min_relative_risk <= max_relative_risk");
        }

        return errors;
    }
}
