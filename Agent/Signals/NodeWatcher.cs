using k8s;
using k8s.Models;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SpotOptimizer.Agent.Reporting;

namespace SpotOptimizer.Agent.Signals;

/// <summary>
/// Watches the cluster's nodes (RBAC: nodes list/watch) and hands every new interruption signal their taints carry to
/// the <see cref="InterruptionReporter"/> the moment the watch shows it (<see cref="KubernetesInformer"/>). Every node it
/// sees is also recorded in <see cref="ReportedSignals"/>, where the Karpenter event watch finds a node's instance.
/// </summary>
public sealed partial class NodeWatcher(
    IKubernetes kubernetes, InterruptionReporter reporter, ReportedSignals reported, IOptions<AgentOptions> options, TimeProvider time, ILogger<NodeWatcher> logger)
    : BackgroundService
{
    private readonly SignalReports _reports = new(reporter, logger);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await KubernetesInformer.RunAsync<V1Node>(
                async ct =>
                {
                    var list = await kubernetes.CoreV1.ListNodeAsync(cancellationToken: ct);
                    return (list.Metadata.ResourceVersion, list.Items);
                },
                (version, onError, ct) => kubernetes.CoreV1.WatchListNodeAsync(
                    allowWatchBookmarks: true, resourceVersion: version, timeoutSeconds: KubernetesInformer.WatchTimeoutSeconds, onError: onError, cancellationToken: ct),
                nodes => _reports.Send(reported.Relist(nodes, time.GetUtcNow()), stoppingToken),
                (type, node) => _reports.Send(reported.Observe(type, node, time.GetUtcNow()), stoppingToken),
                (failures, e) => LogFailed(logger, failures, e),
                options.Value.MaxBackoff, time, stoppingToken);
        }
        finally
        {
            await _reports.DrainAsync();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Watching nodes failed ({Failures} in a row); backing off.")]
    private static partial void LogFailed(ILogger logger, int failures, Exception exception);
}
