using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Scalar.AspNetCore;
using SpotOptimizer.Api.Apis;
using SpotOptimizer.Api.Auth;
using SpotOptimizer.Api.Demo;
using SpotOptimizer.Api.Health;
using SpotOptimizer.Api.Http;
using SpotOptimizer.Api.Hubs;
using SpotOptimizer.Api.Install;
using SpotOptimizer.Notifications;
using SpotOptimizer.Notifications.Mail;
using SpotOptimizer.Tenancy.Lifecycle;

namespace SpotOptimizer.Api.Extensions;

public static class ApiExtensions
{
    private static readonly Dictionary<string, string?> Defaults = new()
    {
        // Per-request lines from every health probe would drown the product's own logs.
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
        // Orleans prints every option at start-up and Polly every placement attempt at Information.
        ["Logging:LogLevel:Orleans"] = "Warning",
        ["Logging:LogLevel:Polly"] = "Warning",
    };

    public static IHostApplicationBuilder AddApiServices(this IHostApplicationBuilder builder)
    {
        // Below every other source, so appsettings, environment and command line still override these defaults.
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = Defaults });
        builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = ProblemCodes.Add);
        builder.Services.ConfigureHttpJsonOptions(options => ApiJson.Configure(options.SerializerOptions));
        builder.AddAuth();
        builder.Services.AddMail(builder.Configuration);
        builder.Services.AddOrganizationLifecycle(CheckpointSigning.FromPlatformKey);
        builder.Services.Configure<CloudFormationOptions>(builder.Configuration.GetSection("CloudFormation"));
        builder.Services.Configure<AgentInstallOptions>(builder.Configuration.GetSection(AgentInstallOptions.Section));
        builder.Services.AddSingleton<ManifestLinks>();
        builder.Services.Configure<Lab.ModelSandboxOptions>(builder.Configuration.GetSection(Lab.ModelSandboxOptions.Section));
        builder.Services.AddSingleton<Lab.ModelSandboxHost>();
        builder.Services.AddSignalR().AddJsonProtocol(options => ApiJson.Configure(options.PayloadSerializerOptions));
        builder.Services.AddHostedService<FeedRelay>();
        builder.Services.AddNotificationWorkers();
        builder.AddDemoTenant();
        var adminLogs = new AdminLogSink();
        builder.Services.AddSingleton(adminLogs);
        builder.Logging.AddProvider(adminLogs);
        // Admins see the product's Information lines even when the console is set quieter.
        builder.Logging.AddFilter<AdminLogSink>(null, LogLevel.Information);
        builder.Services.AddHostedService<AdminLogForwarder>();
        builder.Services.AddOpenApi(options =>
        {
            EndpointSummaries.AddTo(options);
            ProblemResponses.AddTo(options);
            ResponseSchemas.AddTo(options);
            RequestSchemas.AddTo(options);
        });
        builder.AddObservability();
        builder.Services.AddHealthChecks()
            .AddCheck(HealthApi.SelfCheck, () => HealthCheckResult.Healthy(), [HealthApi.LiveTag])
            .AddCheck<StorageHealthCheck>(StorageHealthCheck.Name, timeout: StorageHealthCheck.Timeout)
            .AddCheck<ClusterHealthCheck>(ClusterHealthCheck.Name, timeout: ClusterHealthCheck.Timeout)
            // A market source down is degraded at worst: never a reason to take the instance out of rotation.
            .AddCheck<MarketFeedsHealthCheck>(MarketFeedsHealthCheck.Name, failureStatus: HealthStatus.Degraded, timeout: MarketFeedsHealthCheck.Timeout);
        builder.Services.AddSingleton<ClusterRuntime>();
        return builder;
    }

    /// <summary>
    /// Every failure, thrown or returned as a bare status code, leaves as RFC 7807 ProblemDetails JSON; then who the
    /// caller is, what they may do, and how often.
    /// </summary>
    public static WebApplication UseApiPipeline(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages(StatusCodeProblems.WriteAsync);
        app.UseAuthentication();
        app.UseImpersonationContext();
        app.UseRoleGate();
        app.UseAuthorization();
        app.UseDashboardAccessCookie();
        return app;
    }

    public static WebApplication MapApi(this WebApplication app)
    {
        app.MapOpenApi();
        // The interactive reference of that document, served with its own assets (no CDN).
        app.MapScalarApiReference("/scalar");
        app.MapHealthApi();
        app.MapObservability();
        app.MapAuthApi();
        app.MapTeamApi();
        app.MapConnectApi();
        app.MapClustersApi();
        app.MapAgentApi();
        app.MapAgentInstallApi();
        app.MapClusterCommandsApi();
        app.MapActivityApi();
        app.MapAuditApi();
        app.MapAuditRetentionApi();
        app.MapOrganizationApi();
        app.MapTemplatesApi();
        app.MapPoliciesApi();
        app.MapHibernationApi();
        app.MapAdminApi();
        app.MapLabApi();
        app.MapSimulatorApi();
        app.MapSimulatorKubernetesApi();
        app.MapSimulatorAwsApi();
        app.MapOptimizationApi();
        app.MapRecommendationsApi();
        app.MapNotificationsApi();
        app.MapReportsApi();
        app.MapCommitmentsApi();
        app.MapMetricsApi();
        app.MapHub<ActivityHub>(ActivityHub.Path);
        app.MapHub<OnboardingHub>(OnboardingHub.Path);
        app.MapHub<AdminLogsHub>(AdminLogsHub.Path);
        app.MapHub<LabHub>(LabHub.Path);
        app.MapWebUi();
        return app;
    }
}
