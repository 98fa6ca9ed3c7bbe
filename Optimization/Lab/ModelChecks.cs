namespace SpotOptimizer.Optimization.Lab;

/// <summary>The stable names of the checks an uploaded model can fail; the Api returns them as ProblemDetails codes.</summary>
public static class ModelChecks
{
    public const string TooLarge = "model_too_large";
    public const string Unreadable = "model_unreadable";
    public const string ContractViolation = "model_contract_violation";
    public const string Crashed = "model_crashed";
    public const string Timeout = "model_timeout";
}

/// <summary>
/// What the sandbox found, written as JSON on its standard output. <see cref="FailedCheck"/> is null when the model
/// passed; the scores summarise its answers to the trial batch.
/// </summary>
public sealed record ModelTrialReport(
    string? FailedCheck,
    string Detail,
    int Rows,
    double LoadMs,
    double ScoreMs,
    double? MeanProbability,
    double? MeanConfidence,
    IReadOnlyDictionary<string, int>? Actions)
{
    public bool Passed => FailedCheck is null;

    public static ModelTrialReport Failed(string check, string detail, double loadMs = 0, double scoreMs = 0) =>
        new(check, detail, 0, loadMs, scoreMs, null, null, null);
}
