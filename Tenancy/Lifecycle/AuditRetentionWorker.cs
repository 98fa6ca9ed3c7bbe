using System.Data.Common;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace SpotOptimizer.Tenancy.Lifecycle;

/// <summary>
/// Runs <see cref="AuditRetention"/> every <see cref="Period"/> on its clock. Every instance runs it; the chain-head
/// lock inside each organization's run makes a second instance find nothing left to archive.
/// </summary>
internal sealed partial class AuditRetentionWorker(AuditRetention retention, ILogger<AuditRetentionWorker> logger) : BackgroundService
{
    public static readonly TimeSpan Period = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Period, retention.Clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await retention.RunAsync(stoppingToken);
            }
            catch (DbException exception)
            {
                LogRunFailed(logger, exception);
            }
        }
    }

    [LoggerMessage(1, LogLevel.Warning, "Audit retention run failed; the next run tries again")]
    private static partial void LogRunFailed(ILogger logger, Exception exception);
}
