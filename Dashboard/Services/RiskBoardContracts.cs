namespace SpotOptimizer.Dashboard.Services;

/// <summary>GET /api/spot/regions/{region}/flags: the pools flagged for every tenant, and those only the caller's own reports flagged.</summary>
public sealed record RegionFlags(string Region, IReadOnlyList<RiskFlag> Flags, IReadOnlyList<RiskFlag>? OwnFlags);

/// <param name="Reason">aws_event, discovery_notice, distinct_tenants:N, price_jump:+P% or own_report; null on flags from before reasons were kept.</param>
public sealed record RiskFlag(string AvailabilityZone, string InstanceType, DateTimeOffset Until, string Kind, int Reports, string? Reason);

/// <summary>A flag's reason in words: what backs it, with its count.</summary>
public static class FlagReasonText
{
    public static string Describe(string? reason)
    {
        if (reason is null) return "reported";
        var colon = reason.IndexOf(':', StringComparison.Ordinal);
        var (code, detail) = colon < 0 ? (reason, "") : (reason[..colon], reason[(colon + 1)..]);
        return code switch
        {
            "aws_event" => "AWS interruption event",
            "discovery_notice" => "AWS Spot notice (discovery)",
            "distinct_tenants" => $"reported by {detail} tenants",
            "price_jump" => $"one report, backed by a price jump ({detail})",
            "own_report" => "your own report (not confirmed by AWS or other tenants)",
            _ => reason,
        };
    }
}
