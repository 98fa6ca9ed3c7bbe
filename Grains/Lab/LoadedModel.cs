using SpotOptimizer.ModelServing;
using SpotOptimizer.Optimization.Lab;
using SpotOptimizer.Optimization.Risk;

namespace SpotOptimizer.Grains.Lab;

/// <summary>
/// A model fully loaded in this process, whatever its kind: the built-in logistic regression (which reads the market's
/// On-Demand prices and Advisor buckets, so it is bound to each market's reference data) or an uploaded ONNX / ML.NET
/// model (the same predictor for every market). Immutable and thread-safe; it is never disposed, because a plan or an
/// experiment may still hold its predictor after production moved on.
/// </summary>
public sealed class LoadedModel
{
    private readonly Func<RiskReferenceData, IInterruptionPredictor> _predictorFor;

    private LoadedModel(string id, string name, string version, string sha256, string recordedAs, Func<RiskReferenceData, IInterruptionPredictor> predictorFor)
    {
        (Id, Name, Version, Sha256, RecordedAs, _predictorFor) = (id, name, version, sha256, recordedAs, predictorFor);
    }

    public string Id { get; }

    public string Name { get; }

    public string Version { get; }

    public string Sha256 { get; }

    /// <summary>The version its predictions carry, which decisions record.</summary>
    public string RecordedAs { get; }

    /// <exception cref="ModelLoadException">The built-in artifact rejects this market's reference data.</exception>
    public IInterruptionPredictor PredictorFor(RiskReferenceData reference) => _predictorFor(reference);

    public static LoadedModel Builtin() => FromArtifact(BuiltinModel.Id, BuiltinModel.Name, BuiltinModel.Sha256, BuiltinModel.Artifact);

    /// <summary>A logistic-regression artifact; its decisions record the artifact's version, as they always have.</summary>
    public static LoadedModel FromArtifact(string id, string name, string sha256, InterruptionModelArtifact artifact) =>
        new(id, name, artifact.Version, sha256, artifact.Version, reference =>
        {
            var load = InterruptionModelLoader.Load(artifact, reference);
            return load.Model ?? throw new ModelLoadException(id, "artifact rejected: " + string.Join("; ", load.Errors));
        });

    /// <summary>An uploaded model's bytes, opened with its format's runtime; decisions record <c>name@version</c>.</summary>
    /// <exception cref="ModelLoadException">The runtime cannot load the bytes, or the model lacks the Lab's interface.</exception>
    public static LoadedModel FromUpload(string id, string name, string version, string sha256, string format, byte[] content)
    {
        IModelScorer scorer;
        try
        {
            scorer = ModelScorers.Load(format, content);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // Each runtime throws its own types for a bad model; all of them mean the same here, and the cause travels along.
            throw new ModelLoadException(id, $"not a loadable {format} model: {exception.Message.Trim()}", exception);
        }

        var predictor = new ScoredInterruptionModel(scorer, $"{name}@{version}");
        return new LoadedModel(id, name, version, sha256, predictor.Version, _ => predictor);
    }

    /// <summary>
    /// The contract's test vector (MOD-VAL-01's probe) answered within contract v1.0, or why not: the last check before
    /// a model is handed out or swapped in.
    /// </summary>
    public string? ProbeFailure()
    {
        try
        {
            var answer = PredictorFor(RiskReferenceData.Empty).Predict(InterruptionContract.Probe);
            var validation = ContractValidator.ValidatePrediction(answer);
            return validation.IsValid ? null : $"the test vector's answer breaks contract {InterruptionContract.Version}: {validation}";
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            return $"the test vector threw {exception.GetType().Name}: {exception.Message.Trim()}";
        }
    }
}
