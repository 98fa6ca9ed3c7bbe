using k8s;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SpotOptimizer.SimulatedKubernetes;

namespace SpotOptimizer.Agent.Tests;

/// <summary>A simulated cluster's Kubernetes API on a real loopback port, as the agent's client reaches a real API server.</summary>
internal sealed class SimulatedClusterHost(WebApplication app) : IAsyncDisposable
{
    public Uri BaseAddress { get; } = new(app.Urls.First());

    /// <param name="cluster">Read on every request: the API lists the world as it is now.</param>
    public static Task<SimulatedClusterHost> StartAsync(Func<KubernetesObjects?> cluster) => StartAsync(cluster, new KubernetesOverlay());

    /// <param name="overlay">What is written to the cluster (node patches, evictions, NodePools), kept across requests.</param>
    /// <param name="clock">The API server's clock (metrics-server's scrape times); the system's by default.</param>
    public static async Task<SimulatedClusterHost> StartAsync(Func<KubernetesObjects?> cluster, KubernetesOverlay overlay, TimeProvider? clock = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        if (clock is not null) builder.Services.AddSingleton(clock);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapSimulatedKubernetes(_ => Task.FromResult(cluster() is { } generated ? new SimulatedKubernetesCluster(generated, overlay) : null));
        await app.StartAsync();
        return new SimulatedClusterHost(app);
    }

    /// <summary>The agent's Kubernetes client pointed here, as a kubeconfig's cluster entry would point it.</summary>
    public IKubernetes Client() => new Kubernetes(new KubernetesClientConfiguration { Host = BaseAddress.ToString() });

    public async ValueTask DisposeAsync() => await app.DisposeAsync();
}
