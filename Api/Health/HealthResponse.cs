using Microsoft.Extensions.Diagnostics.HealthChecks;
using SpotOptimizer.Grains.Interfaces.Market;

namespace SpotOptimizer.Api.Health;

/// <summary>
/// The <c>/health</c> body: overall status, the storage provider, the cluster's view of itself (null when it does not
/// answer), each check, and each market feed with its age (empty when no live feed reports, as on the simulator).
/// </summary>
public sealed record HealthResponse(string Status, string Storage, RuntimeSummary? Runtime, IReadOnlyList<HealthCheckEntry> Checks, IReadOnlyList<MarketFeedEntry>? Feeds = null)
{
    public static HealthResponse From(HealthReport report, string storage, RuntimeSummary? runtime, IReadOnlyList<FeedHealth>? feeds = null) =>
        new(report.Status.ToString(), storage, runtime,
            [.. report.Entries.Select(e => new HealthCheckEntry(e.Key, e.Value.Status.ToString(), e.Value.Description, e.Value.Duration.TotalMilliseconds))],
            [.. (feeds ?? []).Select(f => new MarketFeedEntry(f.Feed, f.Region, StatusOf(f.State), f.AgeSeconds is { } age ? Math.Round(age) : null, f.Detail))]);

    private static string StatusOf(FeedState state) => state switch
    {
        FeedState.Healthy => "healthy",
        FeedState.Degraded => "degraded",
        _ => "unavailable",
    };
}

public sealed record HealthCheckEntry(string Name, string Status, string? Description, double DurationMs);

/// <summary>One market source: healthy, degraded (a stale or fallback copy is served) or unavailable; the seconds since its copy was fetched (null: none).</summary>
/// <param name="Region">Null for a source of every region (the Spot Advisor).</param>
public sealed record MarketFeedEntry(string Name, string? Region, string Status, double? AgeSeconds, string? Detail);
