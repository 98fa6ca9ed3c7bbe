using k8s;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using SpotOptimizer.Agent.Reporting;
using SpotOptimizer.Agent.Signals;

namespace SpotOptimizer.Agent;

/// <summary>The agent's composition root: configuration (command line, environment, appsettings), the Kubernetes client, the reporter.</summary>
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
            .ValidateOnStart();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<IKubernetes>(sp => new Kubernetes(ClusterReader.Configuration(sp.GetRequiredService<IOptions<AgentOptions>>().Value.Kubeconfig)));
        services.AddSingleton<ClusterReader>();
        services.AddHttpClient(nameof(PlatformClient), (sp, http) =>
        {
            var url = sp.GetRequiredService<IOptions<AgentOptions>>().Value.ApiUrl!.ToString();
            http.BaseAddress = new Uri(url.EndsWith('/') ? url : url + "/");
        });
        services.AddSingleton(sp => new PlatformClient(
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(PlatformClient)), sp.GetRequiredService<IOptions<AgentOptions>>().Value.Token!));
        services.AddHostedService<InventoryReporter>();
        services.AddInterruptionSignals();
        return services;
    }
}
