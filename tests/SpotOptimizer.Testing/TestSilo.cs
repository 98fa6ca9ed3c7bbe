using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SpotOptimizer.Runtime;

namespace SpotOptimizer.Testing;

/// <summary>
/// An in-process silo for tests: a real generic host with the grain runtime, messages copied through the
/// serializer (so tests catch reference sharing), and a storage provider of the test's choosing.
/// </summary>
public sealed class TestSilo : IAsyncDisposable
{
    private readonly IHost _host;
    private bool _stopped;

    private TestSilo(IHost host) => _host = host;

    public IServiceProvider Services => _host.Services;

    public IGrainFactory Grains => Services.GetRequiredService<IGrainFactory>();

    public static async Task<TestSilo> StartAsync(
        Action<GrainRuntimeBuilder> storage,
        Assembly grains,
        Action<GrainRuntimeOptions>? options = null,
        TimeProvider? time = null,
        Action<IServiceCollection>? services = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        if (time is not null) builder.Services.AddSingleton(time);
        services?.Invoke(builder.Services);
        builder.Services.AddGrainRuntime(runtime =>
        {
            storage(runtime);
            runtime.AddGrains(grains).Configure(o =>
            {
                o.CopyMessagesViaSerializer = true;
                options?.Invoke(o);
            });
        });
        var host = builder.Build();
        await host.StartAsync();
        return new TestSilo(host);
    }

    /// <summary>Graceful stop: grains deactivate (and flush state) as in production.</summary>
    public async Task StopAsync()
    {
        if (_stopped) return;
        _stopped = true;
        await _host.StopAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _host.Dispose();
    }
}
