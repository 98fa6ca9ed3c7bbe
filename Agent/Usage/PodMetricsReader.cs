using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace SpotOptimizer.Agent.Usage;

/// <summary>
/// Lists <c>GET /apis/metrics.k8s.io/v1beta1/pods</c> (RBAC: <c>metrics.k8s.io</c> pods get/list). A cluster without
/// metrics-server (404), an agent whose role lacks the rule (403) or a metrics-server that is down (503 from the
/// aggregation layer) gives no samples this tick, not a failed report: logged once until the answer changes.
/// </summary>
public sealed partial class PodMetricsReader(IKubernetes kubernetes, ILogger<PodMetricsReader> logger)
{
    private HttpStatusCode? _unavailable;

    /// <returns>Null when the metrics API did not answer.</returns>
    public async Task<IReadOnlyList<PodMetrics>?> ReadAsync(CancellationToken cancellationToken)
    {
        try
        {
            var list = await kubernetes.CustomObjects.ListClusterCustomObjectAsync<PodMetricsList>(
                "metrics.k8s.io", "v1beta1", "pods", cancellationToken: cancellationToken);
            if (_unavailable is not null) LogAvailable(logger);
            _unavailable = null;
            return [.. list.Items ?? []];
        }
        catch (HttpOperationException e)
        {
            var status = e.Response.StatusCode;
            if (_unavailable != status)
            {
                if (status == HttpStatusCode.NotFound) LogNotInstalled(logger);
                else LogUnavailable(logger, (int)status, e);
            }

            _unavailable = status;
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "The metrics API (metrics.k8s.io) is not installed: no usage is reported, so right-sizing has nothing to go on. Install metrics-server to enable it.")]
    private static partial void LogNotInstalled(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The metrics API (metrics.k8s.io) answered {Status}: no usage samples until it answers (403: the agent's role needs metrics.k8s.io pods get/list).")]
    private static partial void LogUnavailable(ILogger logger, int status, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "The metrics API (metrics.k8s.io) answers again: usage sampling resumed.")]
    private static partial void LogAvailable(ILogger logger);
}
