using System.Text.Json;

namespace SpotOptimizer.Optimization.Risk;

/// <summary>What a contract check found; valid when <see cref="Errors"/> is empty.</summary>
public sealed record ContractValidation(IReadOnlyList<string> Errors)
{
    public static ContractValidation Valid { get; } = new([]);

    public bool IsValid => Errors.Count == 0;

    public override string ToString() => IsValid ? "valid" : string.Join("; ", Errors);
}

/// <summary>
/// MOD-VAL-01: checks model inputs and outputs against contract v1.0, both as records and as the JSON a model
/// served out of process would exchange.
/// </summary>
public static class ContractValidator
{
    public static ContractValidation ValidateRequest(InterruptionPredictionRequest? request)
    {
        if (request is null) return new(["request is missing"]);
        var errors = new List<string>();
        if (!string.Equals(request.ContractVersion, InterruptionContract.Version, StringComparison.Ordinal))
        {
            errors.Add($"contract_version '{request.ContractVersion}' is not '{InterruptionContract.Version}'");
        }

        var features = request.Features;
        if (features is null)
        {
            errors.Add("features are missing");
            return new(errors);
        }

        if (string.IsNullOrWhiteSpace(features.InstanceType)) errors.Add("features.instance_type is missing");
        if (string.IsNullOrWhiteSpace(features.AvailabilityZone)) errors.Add("features.availability_zone is missing");
        CheckPrices(features.SpotPriceHistory, errors);
        if (features.HourOfDay is < 0 or > 23) errors.Add($"features.hour_of_day {features.HourOfDay} is outside 0..23");
        if (features.DayOfWeek is < 0 or > 6) errors.Add($"features.day_of_week {features.DayOfWeek} is outside 0..6");
        return new(errors);
    }

    public static ContractValidation ValidatePrediction(InterruptionPrediction? prediction)
    {
        if (prediction is null) return new(["prediction is missing"]);
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(prediction.PredictionId)) errors.Add("prediction_id is missing");
        var p = prediction.InterruptionProbability;
        if (!double.IsFinite(p) || p is < 0 or > 1) errors.Add($"interruption_probability {p} is outside [0, 1]");
        var c = prediction.ConfidenceScore;
        if (!double.IsFinite(c) || c is < 0 or > 1) errors.Add($"confidence_score {c} is outside [0, 1]");
        if (!Enum.IsDefined(prediction.RecommendedAction))
        {
            errors.Add($"recommended_action {(int)prediction.RecommendedAction} is not SAFE, CAUTION or AVOID");
        }
        else if (double.IsFinite(p) && p is >= 0 and <= 1 && prediction.RecommendedAction != InterruptionContract.ActionFor(p))
        {
            errors.Add($"recommended_action {prediction.RecommendedAction} does not match probability {p} (expected {InterruptionContract.ActionFor(p)})");
        }

        return new(errors);
    }

    /// <summary>Checks request JSON field by field (so a missing or mistyped field is named) and returns the record when valid.</summary>
    public static (ContractValidation Validation, InterruptionPredictionRequest? Request) ValidateRequestJson(string json)
    {
        var errors = new List<string>();
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            var version = String(root, "contract_version", "", errors);
            if (!root.TryGetProperty("features", out var f) || f.ValueKind != JsonValueKind.Object)
            {
                errors.Add("features are missing");
                return (new(errors), null);
            }

            var request = new InterruptionPredictionRequest(version ?? "", new InterruptionFeatures(
                String(f, "instance_type", "features.", errors) ?? "",
                String(f, "availability_zone", "features.", errors) ?? "",
                Prices(f, errors),
                Int(f, "hour_of_day", errors),
                Int(f, "day_of_week", errors)));
            if (errors.Count > 0) return (new(errors), null);
            var validation = ValidateRequest(request);
            return (validation, validation.IsValid ? request : null);
        }
        catch (JsonException exception)
        {
            return (new([$"not JSON: {exception.Message}"]), null);
        }
    }

    /// <summary>Checks prediction JSON (a model's raw answer) and returns the record when valid.</summary>
    public static (ContractValidation Validation, InterruptionPrediction? Prediction) ValidatePredictionJson(string json)
    {
        var errors = new List<string>();
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            var id = String(root, "prediction_id", "", errors);
            var probability = Number(root, "interruption_probability", errors);
            var confidence = Number(root, "confidence_score", errors);
            var actionText = String(root, "recommended_action", "", errors);
            RecommendedAction action = default;
            if (actionText is not null)
            {
                var known = ActionFromText(actionText);
                if (known is null) errors.Add($"recommended_action '{actionText}' is not SAFE, CAUTION or AVOID");
                else action = known.Value;
            }

            if (errors.Count > 0) return (new(errors), null);
            var prediction = new InterruptionPrediction(id!, probability, confidence, action);
            var validation = ValidatePrediction(prediction);
            return (validation, validation.IsValid ? prediction : null);
        }
        catch (JsonException exception)
        {
            return (new([$"not JSON: {exception.Message}"]), null);
        }
    }

    private static void CheckPrices(IReadOnlyList<double>? prices, List<string> errors)
    {
        if (prices is null || prices.Count == 0)
        {
            errors.Add("features.spot_price_history is missing or empty");
            return;
        }

        for (var i = 0; i < prices.Count; i++)
        {
            if (!double.IsFinite(prices[i])) errors.Add($"features.spot_price_history[{i}] is not a finite number");
            else if (prices[i] < 0) errors.Add($"features.spot_price_history[{i}] is negative ({prices[i]})");
        }
    }

    private static RecommendedAction? ActionFromText(string text) => text switch
    {
        "SAFE" => RecommendedAction.Safe,
        "CAUTION" => RecommendedAction.Caution,
        "AVOID" => RecommendedAction.Avoid,
        _ => null,
    };

    private static string? String(JsonElement parent, string name, string path, List<string> errors)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            errors.Add($"{path}{name} is missing");
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            errors.Add($"{path}{name} is not a string");
            return null;
        }

        return value.GetString();
    }

    private static int Int(JsonElement parent, string name, List<string> errors)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            errors.Add($"features.{name} is missing");
            return 0;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var number))
        {
            errors.Add($"features.{name} is not an integer");
            return 0;
        }

        return number;
    }

    private static double Number(JsonElement parent, string name, List<string> errors)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            errors.Add($"{name} is missing");
            return double.NaN;
        }

        // JSON has no NaN; models written in Python emit the bare literal NaN, which fails parsing above, or a string.
        if (value.ValueKind != JsonValueKind.Number)
        {
            errors.Add($"{name} is not a number");
            return double.NaN;
        }

        return value.GetDouble();
    }

    private static double[] Prices(JsonElement features, List<string> errors)
    {
        if (!features.TryGetProperty("spot_price_history", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            errors.Add("features.spot_price_history is missing or empty");
            return [];
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            errors.Add("features.spot_price_history is not an array");
            return [];
        }

        var prices = new List<double>();
        var i = 0;
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.Number) prices.Add(item.GetDouble());
            else errors.Add($"features.spot_price_history[{i}] is not a number");
            i++;
        }

        return [.. prices];
    }
}
