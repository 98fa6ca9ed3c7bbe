using System.Text.Json;
using SpotOptimizer.Optimization.Risk;

namespace SpotOptimizer.Optimization.Tests.Risk;

public sealed class ContractValidatorTests
{
    private static InterruptionPredictionRequest Request(
        string version = "v1.0", IReadOnlyList<double>? prices = null, int hour = 14, int day = 2, string type = "c5.xlarge") =>
        new(version, new InterruptionFeatures(type, "us-east-1a", prices ?? [0.45, 0.42, 0.48], hour, day));

    [Fact]
    public void ValidateRequest_SeedProbe_Valid()
    {
        Assert.True(ContractValidator.ValidateRequest(InterruptionContract.Probe).IsValid);
    }

    [Theory]
    [InlineData("v2.0")]
    [InlineData("1.0")]
    [InlineData("")]
    public void ValidateRequest_WrongVersion_Rejected(string version)
    {
        var result = ContractValidator.ValidateRequest(Request(version));

        Assert.Contains(result.Errors, e => e.Contains("contract_version", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(-0.01)]
    public void ValidateRequest_BadPrice_Rejected(double price)
    {
        var result = ContractValidator.ValidateRequest(Request(prices: [0.45, price]));

        Assert.Contains(result.Errors, e => e.Contains("spot_price_history[1]", StringComparison.Ordinal));
    }

    [Fact]
    public void ValidateRequest_EmptyPrices_Rejected()
    {
        Assert.False(ContractValidator.ValidateRequest(Request(prices: [])).IsValid);
    }

    [Theory]
    [InlineData(-1, 0, "hour_of_day")]
    [InlineData(24, 0, "hour_of_day")]
    [InlineData(0, -1, "day_of_week")]
    [InlineData(0, 7, "day_of_week")]
    public void ValidateRequest_TimeOutOfRange_Rejected(int hour, int day, string field)
    {
        var result = ContractValidator.ValidateRequest(Request(hour: hour, day: day));

        Assert.Contains(result.Errors, e => e.Contains(field, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(23, 6)]
    public void ValidateRequest_TimeAtBounds_Valid(int hour, int day)
    {
        Assert.True(ContractValidator.ValidateRequest(Request(hour: hour, day: day)).IsValid);
    }

    [Theory]
    [InlineData("""{"features": {"instance_type": "c5.xlarge", "availability_zone": "us-east-1a", "spot_price_history": [0.4], "hour_of_day": 1, "day_of_week": 1}}""", "contract_version is missing")]
    [InlineData("""{"contract_version": "v1.0", "features": {"instance_type": "c5.xlarge", "availability_zone": "us-east-1a", "hour_of_day": 1, "day_of_week": 1}}""", "spot_price_history is missing")]
    [InlineData("""{"contract_version": "v1.0", "features": {"instance_type": "c5.xlarge", "availability_zone": "us-east-1a", "spot_price_history": [0.4, "0.5"], "hour_of_day": 1, "day_of_week": 1}}""", "spot_price_history[1] is not a number")]
    [InlineData("""{"contract_version": "v1.0", "features": {"instance_type": "c5.xlarge", "availability_zone": "us-east-1a", "spot_price_history": [0.4], "day_of_week": 1}}""", "hour_of_day is missing")]
    [InlineData("""{"contract_version": "v1.0", "features": {"instance_type": "c5.xlarge", "availability_zone": "us-east-1a", "spot_price_history": [0.4, NaN], "hour_of_day": 1, "day_of_week": 1}}""", "not JSON")]
    [InlineData("""{"contract_version": "v1.0"}""", "features are missing")]
    public void ValidateRequestJson_BrokenInput_NamesTheField(string json, string expected)
    {
        var (validation, request) = ContractValidator.ValidateRequestJson(json);

        Assert.Null(request);
        Assert.Contains(validation.Errors, e => e.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void ValidateRequestJson_SeedExample_ParsesToProbe()
    {
        const string json = """
            {"contract_version": "v1.0", "features": {"instance_type": "c5.xlarge", "availability_zone": "us-east-1a",
             "spot_price_history": [0.45, 0.42, 0.48], "hour_of_day": 14, "day_of_week": 2}}
            """;

        var (validation, request) = ContractValidator.ValidateRequestJson(json);

        Assert.True(validation.IsValid, validation.ToString());
        Assert.Equal([0.45, 0.42, 0.48], request!.Features.SpotPriceHistory);
        Assert.Equal(json.Replace(" ", "", StringComparison.Ordinal).Replace("\n", "", StringComparison.Ordinal).Replace("\r", "", StringComparison.Ordinal), JsonSerializer.Serialize(request));
    }

    [Theory]
    [InlineData(-0.01)]
    [InlineData(1.01)]
    [InlineData(double.NaN)]
    public void ValidatePrediction_ProbabilityOutsideUnitInterval_Rejected(double probability)
    {
        var result = ContractValidator.ValidatePrediction(new InterruptionPrediction("id", probability, 0.5, RecommendedAction.Safe));

        Assert.Contains(result.Errors, e => e.Contains("interruption_probability", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(0.0, RecommendedAction.Safe)]
    [InlineData(0.1999, RecommendedAction.Safe)]
    [InlineData(0.2, RecommendedAction.Caution)]
    [InlineData(0.5, RecommendedAction.Caution)]
    [InlineData(0.5001, RecommendedAction.Avoid)]
    [InlineData(1.0, RecommendedAction.Avoid)]
    public void ActionFor_Thresholds_SafeBelow02CautionTo05AvoidAbove(double probability, RecommendedAction expected)
    {
        Assert.Equal(expected, InterruptionContract.ActionFor(probability));
        Assert.True(ContractValidator.ValidatePrediction(new InterruptionPrediction("id", probability, 1, expected)).IsValid);
    }

    [Fact]
    public void ValidatePrediction_ActionInconsistentWithProbability_Rejected()
    {
        var result = ContractValidator.ValidatePrediction(new InterruptionPrediction("id", 0.85, 0.92, RecommendedAction.Safe));

        Assert.Contains(result.Errors, e => e.Contains("recommended_action", StringComparison.Ordinal));
    }

    [Fact]
    public void ValidatePrediction_MissingIdOrBadConfidence_Rejected()
    {
        var result = ContractValidator.ValidatePrediction(new InterruptionPrediction("", 0.1, 1.5, RecommendedAction.Safe));

        Assert.Equal(2, result.Errors.Count);
    }

    [Fact]
    public void ValidatePredictionJson_SeedExample_Valid()
    {
        var (validation, prediction) = ContractValidator.ValidatePredictionJson(
            """{"prediction_id": "uuid-1234", "interruption_probability": 0.85, "confidence_score": 0.92, "recommended_action": "AVOID"}""");

        Assert.True(validation.IsValid, validation.ToString());
        Assert.Equal(RecommendedAction.Avoid, prediction!.RecommendedAction);
        Assert.Contains("\"recommended_action\":\"AVOID\"", JsonSerializer.Serialize(prediction), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"prediction_id": "x", "interruption_probability": 0.1, "confidence_score": 0.9, "recommended_action": "MAYBE"}""", "recommended_action")]
    [InlineData("""{"prediction_id": "x", "interruption_probability": "0.1", "confidence_score": 0.9, "recommended_action": "SAFE"}""", "interruption_probability is not a number")]
    [InlineData("""{"prediction_id": "x", "confidence_score": 0.9, "recommended_action": "SAFE"}""", "interruption_probability is missing")]
    public void ValidatePredictionJson_BrokenAnswer_Rejected(string json, string expected)
    {
        var (validation, prediction) = ContractValidator.ValidatePredictionJson(json);

        Assert.Null(prediction);
        Assert.Contains(validation.Errors, e => e.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void DayOfWeek_Monday_IsZero()
    {
        Assert.Equal(0, InterruptionContract.DayOfWeek(new DateTimeOffset(2021, 3, 1, 12, 0, 0, TimeSpan.Zero)));
        Assert.Equal(6, InterruptionContract.DayOfWeek(new DateTimeOffset(2021, 3, 7, 23, 0, 0, TimeSpan.Zero)));
    }
}
