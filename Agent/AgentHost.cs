using k8s;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using SpotOptimizer.Agent.Commands;
using SpotOptimizer.Agent.Reporting;
using SpotOptimizer.Agent.SafeMode;
using SpotOptimizer.Agent.Signals;
using SpotOptimizer.Agent.Usage;

namespace SpotOptimizer.Agent;

/// <summary>The agent's composition root: configuration (command line, environment, appsettings), the Kubernetes client, the inventory reporter and the command loop.</summary>
public static class AgentHost
{
    public static IHost Create(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(args);
        builder.Configuration.AddCommandLine(args, AgentOptions.CommandLineKeys);
        builder.Services.AddAgent(builder.Configuration);
        return builder.Build();
    }

    public static IServiceCollection AddAgent(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AgentOptions>().Bind(configuration.GetSection(AgentOptions.Section))
            .Validate(o => o.ApiUrl is { IsAbsoluteUri: true }, "Set the platform's URL: --api-url https://…")
            .Validate(o => o.Token?.StartsWith("soa_", StringComparison.Ordinal) == true, "Set the cluster's agent token: --token soa_…")
            .Validate(o => o.ReportInterval > TimeSpan.Zero && o.MaxBackoff >= o.ReportInterval, "Agent:ReportInterval must be positive and at most Agent:MaxBackoff.")
            .Validate(o => o.DrainTimeout > TimeSpan.Zero && o.EvictionRetry > TimeSpan.Zero, "Agent:DrainTimeout and Agent:EvictionRetry must be positive.")
            .Validate(o => o.SafeModeAfter > TimeSpan.Zero, "Agent:SafeModeAfter must be positive.")
            .Validate(o => o.CommandWait >= TimeSpan.Zero && o.CommandWait <= TimeSpan.FromSeconds(30), "Agent:CommandWait must be between 0 and 30 seconds.")
            // The platform takes at most 90 days of usage.
            .Validate(o => o.UsageWindow > TimeSpan.Zero && o.UsageWindow <= TimeSpan.FromDays(90) && o.UsageRefresh >= TimeSpan.Zero,
                "Agent:UsageWindow must be positive and at most 90 days, Agent:UsageRefresh not negative.")
            .ValidateOnStart();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<IKubernetes>(sp => new Kubernetes(ClusterReader.Configuration(sp.GetRequiredService<IOptions<AgentOptions>>().Value.Kubeconfig)));
        services.AddSingleton<ClusterReader>();
        services.AddSingleton<PodMetricsReader>();
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<AgentOptions>>().Value;
            return new UsageHistory(options.UsageWindow, options.UsageRefresh);
        });
        // Every platform call goes through the reachability handler: safe mode counts how long they have all been failing.
        services.AddSingleton<PlatformReachability>();
        services.AddTransient(sp => new ReachabilityHandler(sp.GetRequiredService<PlatformReachability>()));
        services.AddHttpClient(nameof(PlatformClient), (sp, http) =>
        {
            var options = sp.GetRequiredService<IOptions<AgentOptions>>().Value;
            var url = options.ApiUrl!.ToString();
            http.BaseAddress = new Uri(url.EndsWith('/') ? url : url + "/");
            // The long poll holds the request open for CommandWait; the timeout leaves it room.
            http.Timeout = options.CommandWait + TimeSpan.FromSeconds(30);
        }).AddHttpMessageHandler<ReachabilityHandler>();
        services.AddSingleton(sp => new PlatformClient(
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(PlatformClient)), sp.GetRequiredService<IOptions<AgentOptions>>().Value.Token!));
        services.AddSingleton(sp => new CommandChannel(
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(PlatformClient)), sp.GetRequiredService<IOptions<AgentOptions>>().Value.Token!));
        services.AddSingleton<NodeCommands>();
        services.AddSingleton<NodeDrain>();
        services.AddSingleton<NodePoolPolicy>();
        services.AddSingleton<SafeModeController>();
        services.AddSingleton<CommandRunner>();
        services.AddHostedService<InventoryReporter>();
        services.AddHostedService<CommandPoller>();
        services.AddInterruptionSignals();
        return services;
    }
}
