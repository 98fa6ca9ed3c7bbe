using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SpotOptimizer.Agent.Reporting;

namespace SpotOptimizer.Agent.Signals;

/// <summary>
/// Watches the cluster's nodes (RBAC: nodes list/watch) and hands every new interruption signal to the
/// <see cref="InterruptionReporter"/> the moment the watch shows it. The informer pattern: list, then watch from the
/// list's resourceVersion; a stream the server ends (timeoutSeconds) is resumed from the last resourceVersion seen; a
/// 410 Gone (too old, as an HTTP status or an ERROR event) lists again; other failures back off like the inventory reporter.
/// </summary>
public sealed partial class NodeWatcher(
    IKubernetes kubernetes, InterruptionReporter reporter, IOptions<AgentOptions> options, TimeProvider time, ILogger<NodeWatcher> logger)
    : BackgroundService
{
    /// <summary>Asked of the API server per watch request; it may end the stream earlier, and then the watch is resumed.</summary>
    public const int WatchTimeoutSeconds = 300;

    private readonly ReportedSignals _reported = new();
    private readonly List<Task> _reports = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        string? resourceVersion = null;
        var failures = 0;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    if (resourceVersion is null)
                    {
                        var list = await kubernetes.CoreV1.ListNodeAsync(cancellationToken: stoppingToken);
                        Report(_reported.Relist(list.Items, time.GetUtcNow()), stoppingToken);
                        resourceVersion = list.Metadata.ResourceVersion;
                    }

                    resourceVersion = await WatchAsync(resourceVersion, stoppingToken);
                    failures = 0;
                }
                catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Gone)
                {
                    resourceVersion = null;
                }
                catch (Exception e) when (e is HttpRequestException or HttpOperationException or KubernetesException or IOException or TaskCanceledException
                                          && !stoppingToken.IsCancellationRequested)
                {
                    failures++;
                    LogFailed(logger, failures, e);
                    await Task.Delay(ReportSchedule.NextDelay(TimeSpan.FromSeconds(1), options.Value.MaxBackoff, failures, Random.Shared.NextDouble()), time, stoppingToken);
                }
            }
        }
        finally
        {
            await Task.WhenAll(_reports);
        }
    }

    /// <returns>The resourceVersion to resume from, or null to list again (the server answered 410 Gone).</returns>
    private async Task<string?> WatchAsync(string? resourceVersion, CancellationToken cancellationToken)
    {
        Exception? error = null;
        var events = kubernetes.CoreV1.WatchListNodeAsync(
            allowWatchBookmarks: true, resourceVersion: resourceVersion, timeoutSeconds: WatchTimeoutSeconds, onError: e => error ??= e, cancellationToken: cancellationToken);
        await foreach (var (type, node) in events)
        {
            resourceVersion = node.Metadata?.ResourceVersion ?? resourceVersion;
            if (type is WatchEventType.Added or WatchEventType.Modified or WatchEventType.Deleted)
            {
                Report(_reported.Observe(type, node, time.GetUtcNow()), cancellationToken);
            }
        }

        return error switch
        {
            null => resourceVersion,
            KubernetesException { Status.Code: (int)HttpStatusCode.Gone } => null,
            _ => throw error,
        };
    }

    private void Report(List<InterruptionSignal> signals, CancellationToken cancellationToken)
    {
        _reports.RemoveAll(t => t.IsCompleted);
        foreach (var signal in signals)
        {
            LogSeen(logger, signal.Kind, signal.NodeName, signal.InstanceId);
            _reports.Add(reporter.ReportAsync(signal, cancellationToken));
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Spot {Kind} on node {Node} ({InstanceId}).")]
    private static partial void LogSeen(ILogger logger, string kind, string node, string instanceId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Watching nodes failed ({Failures} in a row); backing off.")]
    private static partial void LogFailed(ILogger logger, int failures, Exception exception);
}
