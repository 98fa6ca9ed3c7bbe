using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SpotOptimizer.Agent.Inventory;
using SpotOptimizer.Agent.Reporting;

namespace SpotOptimizer.Agent.Signals;

/// <summary>
/// Watches the cluster's events about nodes (RBAC: events list/watch; the API server filters by
/// <see cref="KarpenterSignals.FieldSelector"/>) and reports each of Karpenter's Spot warnings the moment it is recorded.
/// An event names only the node: its instance comes from the node watch (<see cref="ReportedSignals.InstanceOf"/>), or
/// from reading the node when the event came first. A warning older than <see cref="InterruptionReporter.GiveUpAfter"/>
/// (the events a first list returns reach back an hour) is not reported: the instance is gone and EC2 has told the
/// platform itself. On a cluster without Karpenter the watch is simply quiet.
/// </summary>
public sealed partial class KarpenterEventWatcher(
    IKubernetes kubernetes, InterruptionReporter reporter, ReportedSignals reported, IOptions<AgentOptions> options, TimeProvider time,
    ILogger<KarpenterEventWatcher> logger) : BackgroundService
{
    private readonly SignalReports _reports = new(reporter, logger);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await KubernetesInformer.RunAsync<Corev1Event>(
                async ct =>
                {
                    var list = await kubernetes.CoreV1.ListEventForAllNamespacesAsync(fieldSelector: KarpenterSignals.FieldSelector, cancellationToken: ct);
                    return (list.Metadata.ResourceVersion, list.Items);
                },
                (version, onError, ct) => kubernetes.CoreV1.WatchListEventForAllNamespacesAsync(
                    allowWatchBookmarks: true, fieldSelector: KarpenterSignals.FieldSelector, resourceVersion: version,
                    timeoutSeconds: KubernetesInformer.WatchTimeoutSeconds, onError: onError, cancellationToken: ct),
                events =>
                {
                    foreach (var e in events) Observe(e, stoppingToken);
                },
                (type, e) =>
                {
                    if (type != WatchEventType.Deleted) Observe(e, stoppingToken);
                },
                (failures, e) => LogFailed(logger, failures, e),
                options.Value.MaxBackoff, time, stoppingToken);
        }
        finally
        {
            await _reports.DrainAsync();
        }
    }

    private void Observe(Corev1Event e, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (KarpenterSignals.Of(e, now) is not { } warning || now - warning.NoticeTime > InterruptionReporter.GiveUpAfter) return;
        _reports.Add(ReportAsync(warning, cancellationToken));
    }

    private async Task ReportAsync(KarpenterSignals.Warning warning, CancellationToken cancellationToken)
    {
        var instanceId = reported.InstanceOf(warning.NodeName) ?? await ReadInstanceAsync(warning.NodeName, cancellationToken);
        if (instanceId is null)
        {
            LogUnknownNode(logger, warning.Kind, warning.NodeName);
            return;
        }

        var signal = new InterruptionSignal(warning.NodeName, instanceId, warning.Kind, warning.NoticeTime);
        if (reported.Claim(signal)) await _reports.SendAsync(signal, cancellationToken);
    }

    /// <returns>Null when the node is gone or is not an EC2 instance.</returns>
    private async Task<string?> ReadInstanceAsync(string nodeName, CancellationToken cancellationToken)
    {
        try
        {
            var node = await kubernetes.CoreV1.ReadNodeAsync(nodeName, cancellationToken: cancellationToken);
            return NodeMapper.InstanceId(node.Spec?.ProviderID);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        catch (Exception e) when (e is HttpRequestException or HttpOperationException or IOException && !cancellationToken.IsCancellationRequested)
        {
            LogReadFailed(logger, nodeName, e);
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Watching node events failed ({Failures} in a row); backing off.")]
    private static partial void LogFailed(ILogger logger, int failures, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading node {Node} for its instance failed.")]
    private static partial void LogReadFailed(ILogger logger, string node, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Karpenter reported a Spot {Kind} for node {Node}, which is gone before its instance was known; not reported.")]
    private static partial void LogUnknownNode(ILogger logger, string kind, string node);
}
