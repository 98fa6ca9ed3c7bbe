using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans;
using Orleans.Hosting;
using Orleans.Providers;
using Orleans.Storage;

namespace SpotOptimizer.Bench;

/// <summary>
/// An Orleans silo or client in this process, each in its own generic host: a silo with localhost clustering on free
/// loopback ports and in-memory grain storage (the product's JSON state serializer) as the default store; a client that
/// reaches it through its gateway over TCP.
/// </summary>
internal sealed class BenchHost : IAsyncDisposable
{
    private const string Name = "spotoptimizer-bench";

    private readonly IHost _host;
    private bool _stopped;

    private BenchHost(IHost host, int gatewayPort)
    {
        _host = host;
        GatewayPort = gatewayPort;
    }

    public IServiceProvider Services => _host.Services;

    /// <summary>The silo's own grain factory, or the client's.</summary>
    public IGrainFactory Grains => _host.Services.GetRequiredService<IGrainFactory>();

    /// <summary>Where this silo's gateway listens on 127.0.0.1 (0 for a client).</summary>
    public int GatewayPort { get; }

    /// <param name="services">What the grains under test need besides a clock (options, feeds, the product's services).</param>
    public static async Task<BenchHost> StartSiloAsync(Action<IServiceCollection>? services = null)
    {
        var siloPort = FreePort();
        var gatewayPort = FreePort();
        var builder = CreateBuilder();
        builder.Services.TryAddSingleton(TimeProvider.System);
        services?.Invoke(builder.Services);
        builder.UseOrleans(silo => silo
            .UseLocalhostClustering(siloPort, gatewayPort, serviceId: Name, clusterId: Name)
            .AddMemoryGrainStorageAsDefault());
        // State serialized as the product's default store does it (OrleansSetup.AddSpotOptimizerStorage), not with
        // Orleans's default Newtonsoft serializer: a state write costs here what it costs in production, minus the database.
        builder.Services.AddKeyedSingleton<IGrainStorageSerializer>(
            ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME, (sp, _) => ActivatorUtilities.CreateInstance<SystemTextJsonGrainStorageSerializer>(sp));
        var host = builder.Build();
        await host.StartAsync();
        return new BenchHost(host, gatewayPort);
    }

    /// <summary>A separate host with <c>UseOrleansClient</c>, connected to this silo's gateway.</summary>
    public async Task<BenchHost> ConnectClientAsync()
    {
        var builder = CreateBuilder();
        builder.UseOrleansClient(client => client.UseLocalhostClustering(GatewayPort, serviceId: Name, clusterId: Name));
        var host = builder.Build();
        await host.StartAsync();
        return new BenchHost(host, 0);
    }

    /// <summary>Graceful stop (a silo deactivates every activation); returns how long it took.</summary>
    public async Task<TimeSpan> StopAsync()
    {
        var started = Stopwatch.GetTimestamp();
        if (!_stopped)
        {
            _stopped = true;
            await _host.StopAsync();
        }

        return Stopwatch.GetElapsedTime(started);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _host.Dispose();
    }

    private static HostApplicationBuilder CreateBuilder()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [] });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        // Two start-up notes that say nothing about a run: workstation GC is the harness's choice (as the old runtime was
        // measured), and the watchdog's first check reports the time since boot.
        builder.Logging.AddFilter("Orleans.Runtime.Silo", LogLevel.Error);
        builder.Logging.AddFilter("Orleans.Runtime.Watchdog", LogLevel.Error);
        builder.Services.AddSingleton<IHostLifetime, NoSignalLifetime>(); // Ctrl+C ends the benchmark at once
        return builder;
    }

    /// <summary>A port the OS has just handed out: the fixed defaults may be taken by another silo on a shared machine.</summary>
    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Replaces the console lifetime, which would hold Ctrl+C/SIGTERM until the host stops.</summary>
    private sealed class NoSignalLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
