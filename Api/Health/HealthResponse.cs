using Microsoft.Extensions.Diagnostics.HealthChecks;
using SpotOptimizer.Runtime;

namespace SpotOptimizer.Api.Health;

/// <summary>The <c>/health</c> body: overall status, the storage provider, runtime statistics and each check.</summary>
public sealed record HealthResponse(string Status, string Storage, GrainRuntimeStatistics Runtime, IReadOnlyList<HealthCheckEntry> Checks)
{
    public static HealthResponse From(HealthReport report, string storage, GrainRuntimeStatistics runtime) =>
        new(report.Status.ToString(), storage, runtime,
            [.. report.Entries.Select(e => new HealthCheckEntry(e.Key, e.Value.Status.ToString(), e.Value.Description, e.Value.Duration.TotalMilliseconds))]);
}

public sealed record HealthCheckEntry(string Name, string Status, string? Description, double DurationMs);
