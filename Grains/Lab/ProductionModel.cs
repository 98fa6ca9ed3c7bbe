using Microsoft.Extensions.Logging;
using Orleans.Runtime;
using SpotOptimizer.ModelServing;
using SpotOptimizer.Optimization.Risk;

namespace SpotOptimizer.Grains.Lab;

/// <summary>A model serving on this silo, since when.</summary>
public sealed record ServedModel(LoadedModel Model, DateTimeOffset LoadedAt);

/// <summary>
/// The interruption model this silo scores with: the built-in one at start, then whatever production is (brought here
/// by <see cref="ProductionModelWatcher"/>). A candidate is swapped in only when fully loaded and answering the
/// contract's test vector, with one reference write, so a reader sees the old model or the new one, never a mix; a
/// candidate that fails keeps the old one serving and is reported in <see cref="Current"/>'s status.
/// </summary>
public sealed partial class ProductionModel : IServedModelStatus
{
    private readonly TimeProvider _time;
    private readonly string _instance;
    private readonly ILogger<ProductionModel> _logger;
    private volatile ServedModel _served;
    private volatile ServingFailure? _lastFailure;

    public ProductionModel(ModelCatalog catalog, TimeProvider time, ILocalSiloDetails silo, ILogger<ProductionModel> logger)
        : this(catalog.Builtin, time, silo.SiloAddress.ToString(), logger)
    {
    }

    /// <param name="instance">How the status names this instance (the silo's address in production).</param>
    public ProductionModel(LoadedModel initial, TimeProvider time, string instance, ILogger<ProductionModel> logger)
    {
        _time = time;
        _instance = instance;
        _logger = logger;
        _served = new ServedModel(initial, time.GetUtcNow());
    }

    public ServedModel Served => _served;

    public ServingFailure? LastFailure => _lastFailure;

    ServedModelStatus IServedModelStatus.Current
    {
        get
        {
            var served = _served;
            var model = served.Model;
            return new ServedModelStatus(_instance, model.Id, model.Name, model.Version, model.Sha256, model.RecordedAs, served.LoadedAt, _lastFailure);
        }
    }

    /// <summary>
    /// The optimize loop's risk for one plan: the production model bound to the market's reference data, behind the
    /// heuristic fallback. The model is read once, so a swap during the plan does not split it between two models.
    /// </summary>
    public RiskAssessor AssessorFor(RiskReferenceData reference)
    {
        var model = _served.Model;
        try
        {
            return new RiskAssessor(model.PredictorFor(reference), reference);
        }
        catch (ModelLoadException exception)
        {
            return new RiskAssessor(null, reference, exception.Reason);
        }
    }

    /// <summary>Whether this silo already serves exactly that model (same id, same bytes).</summary>
    public bool Serves(string modelId, string sha256) => _served.Model is var m && m.Id == modelId && m.Sha256 == sha256;

    /// <summary>Swaps <paramref name="candidate"/> in if it answers the contract's test vector; otherwise keeps the current model and records why.</summary>
    public bool Serve(LoadedModel candidate)
    {
        if (candidate.ProbeFailure() is { } failure)
        {
            Refuse(candidate.Id, candidate.Sha256, failure);
            return false;
        }

        var before = _served.Model;
        _served = new ServedModel(candidate, _time.GetUtcNow());
        _lastFailure = null;
        LogSwapped(_logger, before.Id, before.RecordedAs, candidate.Id, candidate.RecordedAs);
        return true;
    }

    /// <summary>Records that production's model could not be served here; the current model keeps serving.</summary>
    public void Refuse(string modelId, string sha256, string error)
    {
        _lastFailure = new ServingFailure(modelId, sha256, error, _time.GetUtcNow());
        LogRefused(_logger, modelId, _served.Model.RecordedAs, error);
    }

    [LoggerMessage(1, LogLevel.Information, "[LAB] [MODEL-SERVING] now serving {ModelId} ({RecordedAs}) instead of {BeforeId} ({BeforeRecordedAs})")]
    private static partial void LogSwapped(ILogger logger, string beforeId, string beforeRecordedAs, string modelId, string recordedAs);

    [LoggerMessage(2, LogLevel.Error, "[LAB] [MODEL-SERVING] production model {ModelId} cannot be served here; still serving {RecordedAs}: {Error}")]
    private static partial void LogRefused(ILogger logger, string modelId, string recordedAs, string error);
}
