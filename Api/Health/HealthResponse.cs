using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace SpotOptimizer.Api.Health;

/// <summary>The <c>/health</c> body: overall status, the storage provider, the cluster's view of itself (null when it does not answer) and each check.</summary>
public sealed record HealthResponse(string Status, string Storage, RuntimeSummary? Runtime, IReadOnlyList<HealthCheckEntry> Checks)
{
    public static HealthResponse From(HealthReport report, string storage, RuntimeSummary? runtime) =>
        new(report.Status.ToString(), storage, runtime,
            [.. report.Entries.Select(e => new HealthCheckEntry(e.Key, e.Value.Status.ToString(), e.Value.Description, e.Value.Duration.TotalMilliseconds))]);
}

public sealed record HealthCheckEntry(string Name, string Status, string? Description, double DurationMs);
