using System.Data.Common;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace SpotOptimizer.Tenancy;

/// <summary>
/// Work repeated every <paramref name="period"/> on a clock against the shared database: reloading an in-memory set
/// that other instances change (revocations, erased organizations) or a housekeeping run (retention). A database error
/// is logged and the next tick tries again; what was loaded before stays in force.
/// </summary>
internal abstract partial class DatabaseLoop(TimeSpan period, TimeProvider time, ILogger logger) : BackgroundService
{
    /// <summary>Named in the log line when a run fails.</summary>
    protected abstract string What { get; }

    /// <summary>Run once before the host finishes starting (registered after the schema step), so the first request already sees the set.</summary>
    protected virtual bool RunAtStart => false;

    protected abstract Task RunOnceAsync(CancellationToken cancellationToken);

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        if (RunAtStart) await RunOnceAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(period, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (DbException exception)
            {
                LogFailed(logger, exception, What);
            }
        }
    }

    [LoggerMessage(1, LogLevel.Warning, "{What} failed; what was loaded before stays in force and the next run tries again")]
    private static partial void LogFailed(ILogger logger, Exception exception, string what);
}
