using Microsoft.Extensions.Diagnostics.HealthChecks;
using Orleans;
using Orleans.Runtime;
using SpotOptimizer.Grains.Interfaces.Platform;

namespace SpotOptimizer.Api.Health;

/// <summary>What the Orleans cluster says about itself: live silos, activations, and the loops that keep failing.</summary>
/// <param name="ActiveSilos">Silos whose membership status is Active.</param>
public sealed record RuntimeSummary(int ActiveSilos, int Activations, IReadOnlyList<LoopStatus> Loops);

public sealed class ClusterRuntime(IGrainFactory grains, TimeProvider time)
{
    public async Task<RuntimeSummary> ReadAsync(CancellationToken cancellationToken)
    {
        var management = grains.GetGrain<IManagementGrain>(0);
        var hosts = await management.GetHosts(onlyActive: true, cancellationToken);
        var activations = await management.GetTotalActivationCount(cancellationToken);
        var loops = await grains.GetGrain<ILoopHealthGrain>(ILoopHealthGrain.Key).GetLoops(time.GetUtcNow()).WaitAsync(cancellationToken);
        return new RuntimeSummary(hosts.Count(h => h.Value == SiloStatus.Active), activations, loops);
    }
}

/// <summary>
/// Unhealthy when the cluster cannot say which silos are live (this instance is out of it); degraded while a
/// background loop keeps failing (<see cref="LoopStatus.Failing"/>): the API answers, but the product is not doing its job.
/// </summary>
internal sealed class ClusterHealthCheck(ClusterRuntime runtime) : IHealthCheck
{
    public const string Name = "cluster";
    public const string SummaryKey = "summary";

    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        RuntimeSummary summary;
        try
        {
            summary = await runtime.ReadAsync(cancellationToken);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, "The Orleans cluster does not answer.", exception);
        }

        // The summary rides along, so /health writes what this check read instead of asking the cluster again.
        var data = new Dictionary<string, object> { [SummaryKey] = summary };
        if (summary.ActiveSilos == 0) return HealthCheckResult.Unhealthy("No silo is active.", data: data);
        var failing = summary.Loops.Where(l => l.Failing).Select(l => l.Loop).ToList();
        return failing.Count > 0
            ? HealthCheckResult.Degraded($"Failing loops: {string.Join(", ", failing)}.", data: data)
            : HealthCheckResult.Healthy($"{summary.ActiveSilos} active silo(s).", data);
    }
}
