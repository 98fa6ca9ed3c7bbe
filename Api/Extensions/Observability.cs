using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using Orleans.Dashboard;
using SpotOptimizer.Api.Auth;
using SpotOptimizer.Cloud.Aws;
using SpotOptimizer.Grains;

namespace SpotOptimizer.Api.Extensions;

/// <summary>
/// Metrics through OpenTelemetry — Orleans's meters, ours (the product's and the AWS calls' and retries'), ASP.NET Core's and the .NET runtime's — scraped by
/// Prometheus at <c>/metrics</c>; the Orleans Dashboard at <see cref="DashboardAccess.Path"/> for super admins.
/// </summary>
public static class Observability
{
    public const string MetricsPath = "/metrics";

    /// <summary>Orleans's own meter: messaging, activations, grain calls, membership, reminders.</summary>
    public const string OrleansMeter = "Microsoft.Orleans";

    public static IHostApplicationBuilder AddObservability(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("spotoptimizer"))
            .WithMetrics(metrics => metrics
                .AddMeter(OrleansMeter, ProductMetrics.MeterName, AwsMetrics.MeterName)
                .AddAspNetCoreInstrumentation()
                .AddRuntimeInstrumentation()
                .AddPrometheusExporter());
        return builder;
    }

    public static WebApplication MapObservability(this WebApplication app)
    {
        app.MapPrometheusScrapingEndpoint(MetricsPath);
        app.MapOrleansDashboard(routePrefix: DashboardAccess.Path).RequireAuthorization(AuthServices.SuperAdminPolicy);
        return app;
    }
}
