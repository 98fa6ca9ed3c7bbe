using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SpotOptimizer.Runtime;

namespace SpotOptimizer.Bench.RuntimeBench;

/// <summary>A production-shaped silo in this process: generic host, in-memory storage, no message copying.</summary>
internal sealed class BenchSilo : IAsyncDisposable
{
    private readonly IHost _host;
    private bool _stopped;

    private BenchSilo(IHost host) => _host = host;

    public IGrainFactory Grains => _host.Services.GetRequiredService<IGrainFactory>();

    public IGrainRuntimeStatistics Statistics => _host.Services.GetRequiredService<IGrainRuntimeStatistics>();

    /// <summary>The runtime's internals, for the cost breakdown.</summary>
    internal GrainRuntime Runtime => _host.Services.GetRequiredService<GrainRuntime>();

    public static async Task<BenchSilo> StartAsync()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [] });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddSingleton<IHostLifetime, NoSignalLifetime>(); // Ctrl+C ends the benchmark at once
        builder.Services.AddGrainRuntime(runtime => runtime
            .UseInMemoryStorage()
            .AddGrains(typeof(BenchSilo).Assembly)
            .Configure(o => o.CopyMessagesViaSerializer = false)); // the production setting
        var host = builder.Build();
        await host.StartAsync();
        return new BenchSilo(host);
    }

    /// <summary>Graceful stop (every activation deactivates); returns how long it took.</summary>
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

    /// <summary>Replaces the console lifetime, which would hold Ctrl+C/SIGTERM until the host stops.</summary>
    private sealed class NoSignalLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
