using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans;
using SpotOptimizer.Grains.Interfaces.Platform;

namespace SpotOptimizer.Grains.Platform;

/// <summary>
/// Brings the platform's SAFE_MODE switch to this silo every <see cref="SafetyOptions.RefreshInterval"/>. Polling, not a
/// push: a silo that missed a message or joined late still converges, and a silo that cannot read the switch keeps
/// the last value it knew (it never turns SAFE_MODE off because a read failed).
/// </summary>
public sealed partial class SafeModeWatcher(
    IGrainFactory grains, SafeMode safeMode, IOptions<SafetyOptions> options, TimeProvider time, ILogger<SafeModeWatcher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.RefreshInterval, time);
        do
        {
            try
            {
                var current = await grains.GetGrain<ISafeModeGrain>(ISafeModeGrain.Key).Get();
                if (current.Enabled != safeMode.SwitchedOn) LogChanged(logger, current.Enabled, current.ChangedBy ?? "?", current.Reason ?? "");
                safeMode.Observe(current.Enabled);
            }
            catch (Exception exception) when (exception is OrleansException or TimeoutException or InvalidOperationException)
            {
                LogReadFailed(logger, exception, safeMode.SwitchedOn);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(1, LogLevel.Warning, "[SAFE_MODE] switched {Enabled} by {Actor}: {Reason}")]
    private static partial void LogChanged(ILogger logger, bool enabled, string actor, string reason);

    [LoggerMessage(2, LogLevel.Warning, "[SAFE_MODE] could not read the platform switch; keeping {SwitchedOn}")]
    private static partial void LogReadFailed(ILogger logger, Exception exception, bool switchedOn);
}
