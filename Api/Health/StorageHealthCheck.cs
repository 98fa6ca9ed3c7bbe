using Microsoft.Extensions.Diagnostics.HealthChecks;
using SpotOptimizer.Grains.Interfaces.Platform;
using Orleans;

namespace SpotOptimizer.Api.Health;

/// <summary>
/// Healthy when a grain call reaches the grain storage: the platform grain reloads its state from the database,
/// so the probe covers the runtime and the storage provider exactly as real traffic uses them.
/// </summary>
internal sealed class StorageHealthCheck(IGrainFactory grains) : IHealthCheck
{
    public const string Name = "storage";

    /// <summary>Well under a load balancer's probe interval; a hung database must not hang the probe.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await grains.GetGrain<IPlatformGrain>(IPlatformGrain.Key).ReadFromStorage().WaitAsync(cancellationToken);
            return HealthCheckResult.Healthy("Grain storage answered.");
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            // The health check service logs the exception; the public response only says what failed.
            return new HealthCheckResult(context.Registration.FailureStatus, "Grain storage cannot be reached.", exception);
        }
    }
}
