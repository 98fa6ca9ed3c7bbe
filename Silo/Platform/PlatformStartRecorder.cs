using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SpotOptimizer.Grains.Interfaces.Platform;
using SpotOptimizer.Runtime;
using SpotOptimizer.Silo.Storage;

namespace SpotOptimizer.Silo.Platform;

/// <summary>Counts this silo's start on the platform grain, which also proves storage works before traffic arrives.</summary>
internal sealed class PlatformStartRecorder(IGrainFactory grains, SiloStorage storage, ILogger<PlatformStartRecorder> logger)
    : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var info = await grains.GetGrain<IPlatformGrain>(IPlatformGrain.Key).RecordSiloStart().WaitAsync(cancellationToken);
        SiloLog.SiloStarted(logger, storage.Provider, storage.Location, info.SiloStarts, info.FirstStartedAt);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
