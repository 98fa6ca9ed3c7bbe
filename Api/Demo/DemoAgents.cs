using System.Text;
using k8s;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using SpotOptimizer.Agent;
using SpotOptimizer.Agent.Reporting;
using SpotOptimizer.Agent.Usage;
using SpotOptimizer.Api.Apis;
using SpotOptimizer.Cloud.Simulation;
using SpotOptimizer.SimulatedKubernetes;

namespace SpotOptimizer.Api.Demo;

/// <summary>
/// The demo clusters' agents: the real in-cluster agent (<c>Agent/</c>), one host per cluster inside the platform's
/// process, each reading its simulated cluster through the Kubernetes API the platform serves (with the kubeconfig
/// <c>GET /api/simulator/clusters/{id}/kubeconfig</c> gives a user) and reporting to the platform's own URL over HTTP,
/// exactly as <c>dotnet run --project Agent</c> would. That URL exists only once the server listens. Each starts with
/// the usage history it would have gathered over its usage window (<see cref="DemoUsageHistory"/>).
/// </summary>
internal sealed partial class DemoAgents(
    IServer server, IHostApplicationLifetime lifetime, SymmetricSecurityKey key, IOptions<DemoOptions> options, SimulatedCloud cloud, TimeProvider time,
    ILoggerFactory loggers, ILogger<DemoAgents> logger)
{
    /// <param name="Token">The cluster's agent token (<c>soa_…</c>), issued on this start.</param>
    public sealed record Cluster(string OrganizationId, string ClusterId, string Name, string Region, string Token);

    /// <summary>Starts an agent per cluster once the server listens; stops them when the platform stops.</summary>
    public async Task RunAsync(IReadOnlyList<Cluster> clusters, CancellationToken stopping)
    {
        // Stopped as soon as the platform begins to stop, before the server waits for its requests to drain.
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stopping, lifetime.ApplicationStopping);
        var stoppingToken = linked.Token;
        if (!await StartedAsync(stoppingToken)) return;
        if (PlatformUrl() is not { } url)
        {
            LogNoAddress(logger);
            return;
        }

        var hosts = new List<IHost>();
        try
        {
            // Built side by side: filling each agent's usage history takes a moment of CPU, and the platform's first
            // optimization run should find the agents polling for its commands.
            hosts.AddRange(await Task.WhenAll(clusters.Select(cluster => Task.Run(() => Build(cluster, url), stoppingToken))));
            foreach (var host in hosts) await host.StartAsync(stoppingToken);

            LogStarted(logger, hosts.Count, url);
            await Task.Delay(Timeout.Infinite, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The platform is stopping: its agents stop with it (below).
        }
        finally
        {
            foreach (var host in hosts)
            {
                await host.StopAsync(CancellationToken.None);
                host.Dispose();
            }
        }
    }

    private IHost Build(Cluster cluster, string url)
    {
        // No defaults: the platform's environment variables and appsettings are not the agent's configuration.
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Agent:ApiUrl"] = url,
            ["Agent:Token"] = cluster.Token,
            ["Agent:ReportInterval"] = options.Value.HeartbeatInterval.ToString("c"),
        });
        builder.Services.AddAgent(builder.Configuration);
        // Three lines of HttpClient logging per report and cluster would drown the platform's own log.
        builder.Services.ConfigureHttpClientDefaults(http => http.RemoveAllLoggers());
        var kubeconfig = SimulatorKubernetesApi.KubeconfigFor(key, cluster.OrganizationId, cluster.ClusterId, cluster.Name, url);
        builder.Services.AddSingleton<IKubernetes>(_ =>
            new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(new MemoryStream(Encoding.UTF8.GetBytes(kubeconfig)))));
        builder.Services.AddSingleton(loggers);
        builder.Services.AddSingleton<IHostLifetime, PlatformLifetime>();
        var host = builder.Build();
        var world = cloud.World;
        var now = time.GetUtcNow();
        var region = world.FindAccount(SimulatedWorld.DemoAccountId)?.FindRegion(cluster.Region);
        var objects = TerminationHandler.ClusterAt(region is null ? null : cloud.ObservedAt(region, now), cluster.Name,
            SimulatedWorkloads.SeedOf(world.Seed, cluster.Name), now);
        var window = host.Services.GetRequiredService<IOptions<AgentOptions>>().Value.UsageWindow;
        DemoUsageHistory.Fill(host.Services.GetRequiredService<UsageHistory>(), objects, now, window);
        return host;
    }

    /// <summary>The platform's process owns Ctrl+C and SIGTERM; its agents stop when it does (<see cref="RunAsync"/>), not on their own.</summary>
    private sealed class PlatformLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    private async Task<bool> StartedAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var onStarted = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        using var onStopping = stoppingToken.Register(() => started.TrySetCanceled(stoppingToken));
        try
        {
            await started.Task;
            return true;
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>The first plain-HTTP address (the agent need not trust a development certificate), a wildcard host as loopback.</summary>
    private string? PlatformUrl()
    {
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var chosen = addresses.FirstOrDefault(a => a.StartsWith("http://", StringComparison.OrdinalIgnoreCase)) ?? addresses.FirstOrDefault();
        if (chosen is null || !Uri.TryCreate(chosen.Replace("://+", "://localhost").Replace("://*", "://localhost"), UriKind.Absolute, out var uri)) return null;
        var host = uri.Host is "0.0.0.0" or "[::]" or "::" ? "localhost" : uri.Host;
        return new UriBuilder(uri) { Host = host }.Uri.ToString().TrimEnd('/');
    }

    [LoggerMessage(1, LogLevel.Information, "Demo: started {Agents} in-process agents reporting to {Url}")]
    private static partial void LogStarted(ILogger logger, int agents, string url);

    [LoggerMessage(2, LogLevel.Error, "Demo: the server has no address to reach it by, so the demo clusters have no agents")]
    private static partial void LogNoAddress(ILogger logger);
}
