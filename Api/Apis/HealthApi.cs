using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using SpotOptimizer.Api.Health;
using SpotOptimizer.Silo.Storage;

namespace SpotOptimizer.Api.Apis;

/// <summary>
/// <c>/alive</c>: the process answers (liveness; restart when it fails). <c>/health</c>: every check, storage
/// included (readiness; 503 takes the instance out of rotation without restarting it).
/// </summary>
public static class HealthApi
{
    public const string SelfCheck = "self";
    public const string LiveTag = "live";

    public static WebApplication MapHealthApi(this WebApplication app)
    {
        app.MapHealthChecks("/alive", new HealthCheckOptions { Predicate = r => r.Tags.Contains(LiveTag) });
        app.MapHealthChecks("/health", new HealthCheckOptions { ResponseWriter = WriteHealthAsync });
        return app;
    }

    private static async Task WriteHealthAsync(HttpContext context, HealthReport report)
    {
        var services = context.RequestServices;
        RuntimeSummary? runtime = null;
        if (report.Entries.TryGetValue(ClusterHealthCheck.Name, out var cluster) && cluster.Exception is null)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
            timeout.CancelAfter(ClusterHealthCheck.Timeout);
            runtime = await services.GetRequiredService<ClusterRuntime>().ReadAsync(timeout.Token);
        }

        await context.Response.WriteAsJsonAsync(HealthResponse.From(report, services.GetRequiredService<SiloStorage>().Provider, runtime));
    }
}
