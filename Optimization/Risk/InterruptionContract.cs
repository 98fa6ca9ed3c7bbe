using System.Text.Json.Serialization;

namespace SpotOptimizer.Optimization.Risk;

/// <summary>
/// ML model contract v1.0 (seed: "Universal Input Contract"). <c>spot_price_history</c> holds the pool's hourly Spot
/// prices in USD/h, oldest first, the last being the current price; <c>day_of_week</c> counts from 0 = Monday (the
/// seed's services are Python: <c>datetime.weekday()</c>).
/// </summary>
public sealed record InterruptionPredictionRequest(
    [property: JsonPropertyName("contract_version")] string ContractVersion,
    [property: JsonPropertyName("features")] InterruptionFeatures Features);

public sealed record InterruptionFeatures(
    [property: JsonPropertyName("instance_type")] string InstanceType,
    [property: JsonPropertyName("availability_zone")] string AvailabilityZone,
    [property: JsonPropertyName("spot_price_history")] IReadOnlyList<double> SpotPriceHistory,
    [property: JsonPropertyName("hour_of_day")] int HourOfDay,
    [property: JsonPropertyName("day_of_week")] int DayOfWeek);

/// <summary>ML model contract v1.0 output (seed: "Universal Output Contract").</summary>
public sealed record InterruptionPrediction(
    [property: JsonPropertyName("prediction_id")] string PredictionId,
    [property: JsonPropertyName("interruption_probability")] double InterruptionProbability,
    [property: JsonPropertyName("confidence_score")] double ConfidenceScore,
    [property: JsonPropertyName("recommended_action")] RecommendedAction RecommendedAction);

[JsonConverter(typeof(JsonStringEnumConverter<RecommendedAction>))]
public enum RecommendedAction
{
    [JsonStringEnumMemberName("SAFE")]
    Safe = 0,

    [JsonStringEnumMemberName("CAUTION")]
    Caution = 1,

    [JsonStringEnumMemberName("AVOID")]
    Avoid = 2,
}

/// <summary>Constants and small rules of contract v1.0.</summary>
public static class InterruptionContract
{
    public const string Version = "v1.0";

    /// <summary>Below this, SAFE.</summary>
    public const double CautionFrom = 0.2;

    /// <summary>Above this, AVOID; from <see cref="CautionFrom"/> to here inclusive, CAUTION.</summary>
    public const double AvoidAbove = 0.5;

    public static RecommendedAction ActionFor(double probability) =>
        probability < CautionFrom ? RecommendedAction.Safe
        : probability <= AvoidAbove ? RecommendedAction.Caution
        : RecommendedAction.Avoid;

    /// <summary>The contract's day of week (0 = Monday … 6 = Sunday) of a UTC instant.</summary>
    public static int DayOfWeek(DateTimeOffset at) => ((int)at.UtcDateTime.DayOfWeek + 6) % 7;

    /// <summary>The probe input of the seed's validator flow (MOD-VAL-01, "Feed test input vector").</summary>
    public static InterruptionPredictionRequest Probe { get; } = new(
        Version,
        new InterruptionFeatures("c5.xlarge", "us-east-1a", [0.45, 0.42, 0.48], 14, 2));

    /// <summary>A request for one pool at <paramref name="at"/> from its hourly history (oldest first).</summary>
    public static InterruptionPredictionRequest RequestFor(string instanceType, string availabilityZone, IReadOnlyList<double> hourlyHistory, DateTimeOffset at) =>
        new(Version, new InterruptionFeatures(instanceType, availabilityZone, hourlyHistory, at.UtcDateTime.Hour, DayOfWeek(at)));
}
