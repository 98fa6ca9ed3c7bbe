using Microsoft.Extensions.Hosting;
using SpotOptimizer.Runtime.Storage;
using SpotOptimizer.Runtime.Streams;

namespace SpotOptimizer.Runtime;

/// <summary>
/// Starts the runtime with its host (schema, reminders, idle collection) and stops it gracefully: reminders
/// stop first, then every grain is deactivated so it can flush its state, then stream subscribers drain.
/// </summary>
internal sealed class GrainRuntimeHost(GrainRuntime runtime, IStorageSchema schema, InProcessStreamProvider streams) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await schema.ApplyAsync(cancellationToken);
        await runtime.Reminders.StartAsync(cancellationToken);
        runtime.Catalog.StartCollector();
        Log.Started(runtime.Logger, runtime.Registry.Classes.Count);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        runtime.Reminders.Stop();
        var count = runtime.Catalog.Count;
        var left = await runtime.Catalog.DeactivateAllAsync(runtime.Options.DeactivationTimeout, cancellationToken);
        if (left > 0) Log.ShutdownTimedOut(runtime.Logger, left);
        await streams.DisposeAsync();
        Log.Stopped(runtime.Logger, count - left);
    }
}
