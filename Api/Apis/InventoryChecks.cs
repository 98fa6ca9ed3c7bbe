using SpotOptimizer.Api.Http;

namespace SpotOptimizer.Api.Apis;

/// <summary>The field checks the inventory's items share; each returns whether the value is usable for further checks.</summary>
internal static class InventoryChecks
{
    /// <summary>1,000 cores: twice the largest EC2 instance.</summary>
    public const int MaxMillicores = 1_000_000;

    /// <summary>32 TiB: above the largest EC2 instance's memory.</summary>
    public const int MaxMib = 32 * 1024 * 1024;

    private static readonly string[] CapacityTypes = ["spot", "on_demand"];

    public static bool Text(ValidationErrors errors, string field, string? value, int maxLength, bool required = true)
    {
        if (value is null && !required) return true;
        if (!errors.Required(field, value)) return false;
        if (value!.Length <= maxLength) return true;
        errors.Add(field, $"must be at most {maxLength} characters.");
        return false;
    }

    public static void Texts(ValidationErrors errors, string field, IReadOnlyList<string?>? values, int maxCount, int maxLength)
    {
        if (values is null) return;
        if (values.Count > maxCount) errors.Add(field, $"must list at most {maxCount} items.");
        else if (values.Any(v => string.IsNullOrWhiteSpace(v) || v.Length > maxLength)) errors.Add(field, $"must hold non-blank strings of at most {maxLength} characters.");
    }

    public static bool Range(ValidationErrors errors, string field, int? value, int max, int min = 0)
    {
        if (value is null) errors.Add(field, "is required.");
        else if (value < min || value > max) errors.Add(field, $"must be between {min} and {max}.");
        else return true;
        return false;
    }

    public static void CapacityType(ValidationErrors errors, string field, string? value, bool required)
    {
        if (value is null && !required) return;
        if (errors.Required(field, value) && !CapacityTypes.Contains(value)) errors.Add(field, $"must be one of {string.Join(", ", CapacityTypes)}.");
    }
}
