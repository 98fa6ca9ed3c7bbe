using Microsoft.Extensions.Logging;

namespace SpotOptimizer.Tenancy.Lifecycle;

/// <summary>
/// Runs <see cref="AuditRetention"/> every <see cref="Period"/> on its clock. Every instance runs it; the chain-head
/// lock inside each organization's run makes a second instance find nothing left to archive.
/// </summary>
internal sealed class AuditRetentionWorker(AuditRetention retention, ILogger<AuditRetentionWorker> logger)
    : DatabaseLoop(Period, retention.Clock, logger)
{
    public static readonly TimeSpan Period = TimeSpan.FromHours(1);

    protected override string What => "Audit retention run";

    protected override Task RunOnceAsync(CancellationToken cancellationToken) => retention.RunAsync(cancellationToken);
}
