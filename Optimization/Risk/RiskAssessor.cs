namespace SpotOptimizer.Optimization.Risk;

public enum RiskSource
{
    /// <summary>The trained model answered and its answer passed the contract.</summary>
    Model = 0,

    /// <summary>The static Spot Advisor bucket heuristic answered instead (failure mode L1).</summary>
    HeuristicFallback = 1,
}

/// <summary>One pool's risk as the decision engine uses it, with where it came from and, on fallback, why.</summary>
public sealed record RiskAssessment(InterruptionPrediction Prediction, RiskSource Source, string ModelVersion, string? FallbackReason)
{
    public double Probability => Prediction.InterruptionProbability;
}

/// <summary>
/// MOD-AI-01 behind its safety net: the model answers when it is loaded and its answer passes the contract; when the
/// model is missing, throws or answers out of contract, the static bucket heuristic answers and the assessment says
/// why (failure mode L1: the module fails, optimisation continues on heuristics).
/// </summary>
public sealed class RiskAssessor
{
    private readonly IInterruptionPredictor? _model;
    private readonly string? _unavailableReason;
    private readonly BucketHeuristic _heuristic;
    private readonly Dictionary<(string, string, int, double, int, int), RiskAssessment>? _answers;

    public RiskAssessor(IInterruptionPredictor? model, RiskReferenceData reference, string? unavailableReason = null)
    {
        _model = model;
        _unavailableReason = model is null ? unavailableReason ?? "no model loaded" : null;
        _heuristic = new BucketHeuristic(reference);
    }

    private RiskAssessor(RiskAssessor inner)
    {
        _model = inner._model;
        _unavailableReason = inner._unavailableReason;
        _heuristic = inner._heuristic;
        _answers = [];
    }

    /// <summary>
    /// The same assessor, remembering each pool's answer: a cluster plan decides node by node over the same market,
    /// so without it every node would pay for the model's view of every pool again. Scope it to one plan (one
    /// market snapshot, one moment); not thread-safe.
    /// </summary>
    public RiskAssessor Memoized() => new(this);

    /// <summary>An assessor over whatever <paramref name="load"/> produced: the model, or the heuristic with the load errors as reason.</summary>
    public static RiskAssessor From(ModelLoadResult load, RiskReferenceData reference) =>
        new(load.Model, reference, load.Loaded ? null : "model artifact rejected: " + string.Join("; ", load.Errors));

    public bool ModelAvailable => _model is not null;

    public RiskAssessment Assess(InterruptionPredictionRequest request)
    {
        if (_answers is null || request?.Features is not { SpotPriceHistory: { } history } f) return AssessOnce(request!);
        var key = (f.InstanceType, f.AvailabilityZone, history.Count, history.Count > 0 ? history[^1] : double.NaN, f.HourOfDay, f.DayOfWeek);
        if (!_answers.TryGetValue(key, out var answer)) _answers[key] = answer = AssessOnce(request);
        return answer;
    }

    private RiskAssessment AssessOnce(InterruptionPredictionRequest request)
    {
        var input = ContractValidator.ValidateRequest(request);
        if (!input.IsValid) return Fallback(request, $"request breaks contract {InterruptionContract.Version}: {input}");
        if (_model is null) return Fallback(request, _unavailableReason!);
        InterruptionPrediction answer;
        try
        {
            answer = _model.Predict(request);
        }
        catch (Exception exception)
        {
            return Fallback(request, $"model {_model.Version} threw {exception.GetType().Name}: {exception.Message}");
        }

        var output = ContractValidator.ValidatePrediction(answer);
        return output.IsValid
            ? new RiskAssessment(answer, RiskSource.Model, _model.Version, null)
            : Fallback(request, $"model {_model.Version} answered out of contract: {output}");
    }

    private RiskAssessment Fallback(InterruptionPredictionRequest request, string reason)
    {
        var safeRequest = request?.Features is null
            ? new InterruptionPredictionRequest(InterruptionContract.Version, new InterruptionFeatures("", "", [], 0, 0))
            : request;
        return new RiskAssessment(_heuristic.Predict(safeRequest), RiskSource.HeuristicFallback, BucketHeuristic.ModelVersion, reason);
    }
}
