using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using SpotOptimizer.Api.Health;
using SpotOptimizer.Grains.Interfaces.Market;
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

    private static Task WriteHealthAsync(HttpContext context, HealthReport report)
    {
        var runtime = report.Entries.TryGetValue(ClusterHealthCheck.Name, out var cluster)
            && cluster.Data.TryGetValue(ClusterHealthCheck.SummaryKey, out var summary) ? summary as RuntimeSummary : null;
        var feeds = report.Entries.TryGetValue(MarketFeedsHealthCheck.Name, out var market)
            && market.Data.TryGetValue(MarketFeedsHealthCheck.FeedsKey, out var reported) ? reported as IReadOnlyList<FeedHealth> : null;
        return context.Response.WriteAsJsonAsync(
            HealthResponse.From(report, context.RequestServices.GetRequiredService<SiloStorage>().Provider, runtime, feeds));
    }
}
