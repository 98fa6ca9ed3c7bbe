using k8s;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using SpotOptimizer.Agent.Reporting;

// dotnet run --project Agent -- --api-url <url> --token <soa_…> [--kubeconfig <file>]
var builder = Host.CreateApplicationBuilder(args);
builder.Configuration.AddCommandLine(args, AgentOptions.CommandLineKeys);
builder.Services.AddAgent(builder.Configuration);
await builder.Build().RunAsync();

internal static class AgentServices
{
    public static IServiceCollection AddAgent(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AgentOptions>().Bind(configuration.GetSection(AgentOptions.Section))
            .Validate(o => o.ApiUrl is { IsAbsoluteUri: true }, "Set the platform's URL: --api-url https://…")
            .Validate(o => o.Token?.StartsWith("soa_", StringComparison.Ordinal) == true, "Set the cluster's agent token: --token soa_…")
            .Validate(o => o.ReportInterval > TimeSpan.Zero, "Agent:ReportInterval must be positive.")
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
        return services;
    }
}
