using System.Text.Json;
using System.Text.Json.Serialization;

namespace SpotOptimizer.Optimization.Risk;

/// <summary>
/// A trained interruption model as a versioned JSON artifact: logistic regression over standardised
/// <see cref="RiskFeatures"/> giving the probability of the <see cref="Label"/> event,
/// <c>q = σ(b + Σ wᵢ (xᵢ − meanᵢ) / scaleᵢ)</c>, mapped to an interruption probability by <see cref="Output"/>;
/// with how it was trained and how it did on held-out data.
/// </summary>
public sealed record InterruptionModelArtifact(
    string Format,
    string ModelKind,
    string Version,
    string ContractVersion,
    string FeatureSet,
    IReadOnlyList<ArtifactFeature> Features,
    double Intercept,
    LabelDefinition Label,
    OutputMapping Output,
    TrainingRecord Training,
    EvaluationRecord? Evaluation)
{
    public const string FormatName = "spotoptimizer.interruption-model";
    public const string LogisticRegression = "logistic-regression";

    public static JsonSerializerOptions JsonOptions { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);
}

/// <summary>
/// From the label's probability <c>q</c> to the contract's <c>interruption_probability</c>, under a proportional-hazards
/// assumption: the pool's monthly interruption rate is its Spot Advisor bucket's rate <c>m</c> (as in the
/// heuristic) scaled by the model's relative risk <c>RR = clamp(q / EventPrior, Min, Max)</c>:
/// <c>p = 1 − (1 − m)^RR</c>. A pool of average price behaviour gets exactly the heuristic's answer.
/// </summary>
public sealed record OutputMapping(string Kind, double EventPrior, double MinRelativeRisk, double MaxRelativeRisk)
{
    public const string AdvisorProportionalHazard = "advisor-bucket-proportional-hazard";

    public double InterruptionProbability(double eventProbability, int? bucket)
    {
        var relativeRisk = Math.Clamp(eventProbability / EventPrior, MinRelativeRisk, MaxRelativeRisk);
        return 1 - Math.Pow(1 - BucketHeuristic.Probability(bucket), relativeRisk);
    }
}

public sealed record ArtifactFeature(string Name, double Mean, double Scale, double Weight);

/// <summary>
/// What the model predicts. <see cref="Description"/> says it in words; the numbers define it: the pool's Spot
/// price rises at least <see cref="RiseThreshold"/> (relative) above its current value within <see cref="HorizonHours"/>.
/// </summary>
public sealed record LabelDefinition(string Description, int HorizonHours, double RiseThreshold)
{
    public static LabelDefinition PriceRise(int horizonHours = 72, double riseThreshold = 0.05) => new(
        $"Spot price of the pool rises >= {riseThreshold:P0} above its current value at some point within the next {horizonHours} h " +
        "(an interruption-risk event: capacity in the pool tightening; a proxy, not an observed interruption)",
        horizonHours,
        riseThreshold);
}

public sealed record TrainingRecord(
    string Source,
    DateTimeOffset From,
    DateTimeOffset To,
    int Examples,
    int Positives,
    int Pools,
    int SampleEveryHours,
    double L2,
    int Iterations);

public sealed record EvaluationRecord(
    DateTimeOffset From,
    DateTimeOffset To,
    int Examples,
    int Positives,
    double LogLoss,
    double Auc,
    double HeuristicLogLoss,
    double HeuristicAuc,
    double PriorLogLoss);
