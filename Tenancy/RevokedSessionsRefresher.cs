using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace SpotOptimizer.Tenancy;

/// <summary>
/// Loads the revoked sessions once the schema is in place (it is registered after the schema's start-up step), then
/// keeps this instance's set in step with the others sharing the database.
/// </summary>
internal sealed class RevokedSessionsRefresher(RevokedSessions revoked, TimeProvider time, ILogger<RevokedSessions> logger) : BackgroundService
{
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await revoked.LoadAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(RevokedTokens.RefreshInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await revoked.LoadAsync(stoppingToken);
            }
            catch (System.Data.Common.DbException exception)
            {
                TenancyLog.SessionRefreshFailed(logger, exception);
            }
        }
    }
}
