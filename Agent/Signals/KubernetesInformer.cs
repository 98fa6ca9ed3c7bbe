using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using SpotOptimizer.Agent.Reporting;

namespace SpotOptimizer.Agent.Signals;

/// <summary>
/// The informer pattern the node and event watches share: list, then watch from the list's resourceVersion; a stream
/// the server ends (timeoutSeconds) is resumed from the last resourceVersion seen; a 410 Gone (too old, as an HTTP status
/// or an ERROR event) lists again; other failures back off like the inventory reporter.
/// </summary>
internal static class KubernetesInformer
{
    /// <summary>Asked of the API server per watch request; it may end the stream earlier, and then the watch is resumed.</summary>
    public const int WatchTimeoutSeconds = 300;

    public delegate IAsyncEnumerable<(WatchEventType Type, T Item)> Watch<T>(string? resourceVersion, Action<Exception> onError, CancellationToken cancellationToken);

    /// <param name="list">One list call: the items and the list's resourceVersion.</param>
    /// <param name="listed">Called with every fresh list (the first, and each after a 410).</param>
    /// <param name="changed">Called with every ADDED, MODIFIED or DELETED event.</param>
    /// <param name="failed">Called with the count of failures in a row before each backoff.</param>
    public static async Task RunAsync<T>(
        Func<CancellationToken, Task<(string? ResourceVersion, IList<T> Items)>> list, Watch<T> watch,
        Action<IList<T>> listed, Action<WatchEventType, T> changed, Action<int, Exception> failed,
        TimeSpan maxBackoff, TimeProvider time, CancellationToken stoppingToken)
        where T : IKubernetesObject<V1ObjectMeta>
    {
        string? resourceVersion = null;
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (resourceVersion is null)
                {
                    var (version, items) = await list(stoppingToken);
                    listed(items);
                    resourceVersion = version;
                }

                resourceVersion = await WatchAsync(watch, resourceVersion, changed, stoppingToken);
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
                failed(failures, e);
                await Task.Delay(ReportSchedule.NextDelay(TimeSpan.FromSeconds(1), maxBackoff, failures, Random.Shared.NextDouble()), time, stoppingToken);
            }
        }
    }

    /// <returns>The resourceVersion to resume from, or null to list again (the server answered 410 Gone).</returns>
    private static async Task<string?> WatchAsync<T>(Watch<T> watch, string? resourceVersion, Action<WatchEventType, T> changed, CancellationToken cancellationToken)
        where T : IKubernetesObject<V1ObjectMeta>
    {
        Exception? error = null;
        await foreach (var (type, item) in watch(resourceVersion, e => error ??= e, cancellationToken))
        {
            resourceVersion = item.Metadata?.ResourceVersion ?? resourceVersion;
            if (type is WatchEventType.Added or WatchEventType.Modified or WatchEventType.Deleted) changed(type, item);
        }

        return error switch
        {
            null => resourceVersion,
            KubernetesException { Status.Code: (int)HttpStatusCode.Gone } => null,
            _ => throw error,
        };
    }
}
