using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SpotOptimizer.Agent.Inventory;
using SpotOptimizer.Agent.Usage;

namespace SpotOptimizer.Agent.Reporting;

/// <summary>
/// Every tick: read the cluster, map it, report it (the report is the heartbeat too). Failures back off exponentially
/// and are logged, never swallowed silently; the loop itself only ends with the host.
/// </summary>
public sealed partial class InventoryReporter(
    ClusterReader cluster, PlatformClient platform, IOptions<AgentOptions> options, TimeProvider time, ILogger<InventoryReporter> logger,
    PodMetricsReader? metrics = null, UsageHistory? usage = null)
    : BackgroundService
{
    public static readonly string Version = $"spotoptimizer-agent/{typeof(InventoryReporter).Assembly.GetName().Version?.ToString(3) ?? "0.0.0"}";

    /// <summary>One tick, for the loop and for tests that drive the real agent tick by tick.</summary>
    public async Task<PlatformClient.InventoryAck> ReportOnceAsync(CancellationToken cancellationToken)
    {
        var snapshot = await cluster.ReadAsync(cancellationToken);
        var report = InventoryMapper.Map(snapshot, Version);
        if (metrics is not null && usage is not null)
        {
            // Sampled on the report's tick: the percentiles cover the samples of the ticks that ran (none while backing off).
            var now = time.GetUtcNow();
            if (await metrics.ReadAsync(cancellationToken) is { } podMetrics) usage.Record(PodUsageSamples.From(snapshot, podMetrics, now));
            report = usage.Attach(report, now);
        }

        var ack = await platform.ReportAsync(report, cancellationToken);
        LogReported(logger, report.Nodes.Count, report.Pods.Count, ack.ClusterId, ack.InventoryVersion);
        return ack;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ReportOnceAsync(stoppingToken);
                failures = 0;
            }
            catch (Exception e) when (e is HttpRequestException or k8s.Autorest.HttpOperationException or TaskCanceledException && !stoppingToken.IsCancellationRequested)
            {
                failures++;
                LogFailed(logger, failures, e);
            }

            var delay = ReportSchedule.NextDelay(options.Value.ReportInterval, options.Value.MaxBackoff, failures, Random.Shared.NextDouble());
            await Task.Delay(delay, time, stoppingToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Reported {Nodes} nodes and {Pods} pods to cluster {ClusterId} (inventory version {Version}).")]
    private static partial void LogReported(ILogger logger, int nodes, int pods, string clusterId, int version);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Inventory report failed ({Failures} in a row); backing off.")]
    private static partial void LogFailed(ILogger logger, int failures, Exception exception);
}
