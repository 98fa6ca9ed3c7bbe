using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SpotOptimizer.Grains.Interfaces.Platform;
using Orleans;
using SpotOptimizer.Silo.Storage;

namespace SpotOptimizer.Silo.Platform;

/// <summary>Counts this silo's start on the platform grain, which also proves storage works before traffic arrives.</summary>
internal sealed class PlatformStartRecorder(IGrainFactory grains, SiloStorage storage, ILogger<PlatformStartRecorder> logger)
    : IHostedLifecycleService
{
    /// <summary>Runs before every hosted service starts, so a storage failure during start-up follows a line naming the storage.</summary>
    public Task StartingAsync(CancellationToken cancellationToken)
    {
        SiloLog.SiloStarting(logger, storage.Provider, storage.Location);
        return Task.CompletedTask;
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var info = await grains.GetGrain<IPlatformGrain>(IPlatformGrain.Key).RecordSiloStart().WaitAsync(cancellationToken);
        SiloLog.SiloStarted(logger, info.SiloStarts, info.FirstStartedAt);
    }

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
