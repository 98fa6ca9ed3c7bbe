using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using SpotOptimizer.Api.Health;
using SpotOptimizer.Runtime;
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
        var services = context.RequestServices;
        var response = HealthResponse.From(
            report,
            services.GetRequiredService<SiloStorage>().Provider,
            services.GetRequiredService<IGrainRuntimeStatistics>().GetStatistics());
        return context.Response.WriteAsJsonAsync(response);
    }
}
