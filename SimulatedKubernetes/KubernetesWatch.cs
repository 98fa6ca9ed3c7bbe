using System.Collections.Concurrent;
using System.Globalization;
using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace SpotOptimizer.SimulatedKubernetes;

/// <summary>
/// A watchable list as the API server answers it (<c>GET /api/v1/nodes</c>, <c>GET /api/v1/events</c>): a list carrying
/// a resourceVersion, or with <c>?watch=true</c> a stream of newline-delimited watch events (ADDED / MODIFIED / DELETED
/// with the object) starting after the given resourceVersion and ending after <c>timeoutSeconds</c>. The simulated world
/// has no change log, so each cluster's objects are listed again every <see cref="PollInterval"/> while someone watches
/// and diffed against the last listing (<see cref="ObjectHistory{T}"/>); a resourceVersion older than the retained
/// history gets the API server's 410 Expired. A <c>fieldSelector</c> filters what is listed and streamed, for the
/// resources and fields that take one.
/// </summary>
public static class KubernetesWatch
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    /// <summary>The API server's default is a random 30–60 min; one bound keeps tests and the simulator predictable.</summary>
    public const int DefaultTimeoutSeconds = 1800;

    /// <summary>One watchable resource: its path, its objects in a cluster, its list object, and how a fieldSelector filters it.</summary>
    internal sealed record Resource<T>(
        string Path,
        Func<KubernetesObjects, IEnumerable<T>> Items,
        Func<string, List<T>, object> List,
        Func<string, FieldSelectors.Parsed<T>> Selector) where T : class, IKubernetesObject<V1ObjectMeta>;

    internal static readonly Resource<V1Node> Nodes = new("/api/v1/nodes", o => o.Nodes.Items,
        (version, items) => new V1NodeList { ApiVersion = "v1", Kind = "NodeList", Metadata = new V1ListMeta { ResourceVersion = version }, Items = items },
        _ => FieldSelectors.Parsed<V1Node>.All);

    internal static readonly Resource<Corev1Event> Events = new("/api/v1/events", o => o.Events?.Items ?? [],
        (version, items) => new Corev1EventList { ApiVersion = "v1", Kind = "EventList", Metadata = new V1ListMeta { ResourceVersion = version }, Items = items },
        FieldSelectors.ForEvents);

    internal static void Map<T>(IEndpointRouteBuilder routes, Resource<T> resource, Func<HttpContext, Task<KubernetesObjects?>> cluster)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        // One history per simulated API server, named by the path it is served under (a route group's cluster id included).
        var histories = new ConcurrentDictionary<string, ObjectHistory<T>>(StringComparer.Ordinal);
        routes.MapGet(resource.Path, async context =>
        {
            var selector = resource.Selector(context.Request.Query["fieldSelector"].ToString());
            if (selector.Error is { } error)
            {
                await WriteAsync(context, StatusCodes.Status400BadRequest, KubernetesStatus.BadRequest(error));
                return;
            }

            if (await cluster(context) is not { } objects)
            {
                await WriteAsync(context, StatusCodes.Status404NotFound, KubernetesStatus.ClusterNotFound);
                return;
            }

            var path = context.Request.Path.Value ?? "";
            var history = histories.GetOrAdd(path[..^Math.Min(path.Length, resource.Path.Length)], _ => new ObjectHistory<T>());
            var (version, items) = history.Observe(resource.Items(objects));
            if (!string.Equals(context.Request.Query["watch"], "true", StringComparison.OrdinalIgnoreCase) && context.Request.Query["watch"] != "1")
            {
                await WriteAsync(context, StatusCodes.Status200OK, KubernetesJson.Serialize(resource.List(Format(version), [.. items.Where(selector.Matches)])));
                return;
            }

            await StreamAsync(context, cluster, resource, selector, history, version, items);
        });
    }

    private static async Task StreamAsync<T>(HttpContext context, Func<HttpContext, Task<KubernetesObjects?>> cluster, Resource<T> resource,
        FieldSelectors.Parsed<T> selector, ObjectHistory<T> history, long now, List<T> items) where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var timeout = int.TryParse(context.Request.Query["timeoutSeconds"], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds > 0
            ? seconds : DefaultTimeoutSeconds;
        // The API server closes its watches when it shuts down; a host waiting for requests to drain would otherwise wait for the timeout.
        var stopping = context.RequestServices.GetService<IHostApplicationLifetime>()?.ApplicationStopping ?? CancellationToken.None;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        deadline.CancelAfter(TimeSpan.FromSeconds(timeout));
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json";
        await context.Response.StartAsync(context.RequestAborted);

        var requested = context.Request.Query["resourceVersion"].ToString();
        long sent;
        if (requested is "" or "0")
        {
            // "Most recent": every current object as ADDED, then the changes after it.
            foreach (var item in items.Where(selector.Matches)) await WriteEventAsync(context, "ADDED", KubernetesJson.Serialize(item));
            sent = now;
        }
        else if (!long.TryParse(requested, NumberStyles.None, CultureInfo.InvariantCulture, out sent) || history.Since(sent) is null)
        {
            await WriteEventAsync(context, "ERROR", KubernetesStatus.Expired(requested, history.Oldest));
            return;
        }

        try
        {
            while (!deadline.IsCancellationRequested)
            {
                foreach (var change in history.Since(sent) ?? [])
                {
                    if (selector.Matches(change.Item)) await WriteEventAsync(context, change.Type, KubernetesJson.Serialize(change.Item));
                    sent = change.Version;
                }

                await Task.Delay(PollInterval, deadline.Token);
                if (await cluster(context) is not { } objects) return;
                history.Observe(resource.Items(objects));
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            // timeoutSeconds reached or the client went away: the API server ends the stream; the client resumes from its last resourceVersion.
        }
    }

    private static async Task WriteEventAsync(HttpContext context, string type, string objectJson)
    {
        await context.Response.WriteAsync($$"""{"type":"{{type}}","object":{{objectJson}}}""" + "\n", context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted);
    }

    private static Task WriteAsync(HttpContext context, int status, string json)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(json, context.RequestAborted);
    }

    internal static string Format(long version) => version.ToString(CultureInfo.InvariantCulture);
}
