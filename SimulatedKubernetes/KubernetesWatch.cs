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
/// <c>GET /api/v1/nodes</c> as the API server answers it: a list carrying a resourceVersion, or with <c>?watch=true</c> a
/// stream of newline-delimited watch events (ADDED / MODIFIED / DELETED with the object) starting after the given
/// resourceVersion and ending after <c>timeoutSeconds</c>. The simulated world has no change log, so each cluster's nodes
/// are listed again every <see cref="PollInterval"/> while someone watches and diffed against the last listing
/// (<see cref="NodeHistory"/>); a resourceVersion older than the retained history gets the API server's 410 Expired.
/// </summary>
public static class KubernetesWatch
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    /// <summary>The API server's default is a random 30–60 min; one bound keeps tests and the simulator predictable.</summary>
    public const int DefaultTimeoutSeconds = 1800;

    private const string NodesPath = "/api/v1/nodes";

    public static void MapNodes(IEndpointRouteBuilder routes, Func<HttpContext, Task<KubernetesObjects?>> cluster)
    {
        // One history per simulated API server, named by the path it is served under (a route group's cluster id included).
        var histories = new ConcurrentDictionary<string, NodeHistory>(StringComparer.Ordinal);
        routes.MapGet(NodesPath, async context =>
        {
            if (await cluster(context) is not { } objects)
            {
                await WriteAsync(context, StatusCodes.Status404NotFound, KubernetesStatus.ClusterNotFound);
                return;
            }

            var path = context.Request.Path.Value ?? "";
            var history = histories.GetOrAdd(path[..^Math.Min(path.Length, NodesPath.Length)], _ => new NodeHistory());
            var (version, nodes) = history.Observe(objects.Nodes.Items);
            if (!string.Equals(context.Request.Query["watch"], "true", StringComparison.OrdinalIgnoreCase) && context.Request.Query["watch"] != "1")
            {
                var list = new V1NodeList { ApiVersion = "v1", Kind = "NodeList", Metadata = new V1ListMeta { ResourceVersion = Format(version) }, Items = nodes };
                await WriteAsync(context, StatusCodes.Status200OK, KubernetesJson.Serialize(list));
                return;
            }

            await StreamAsync(context, cluster, history, version, nodes);
        });
    }

    private static async Task StreamAsync(HttpContext context, Func<HttpContext, Task<KubernetesObjects?>> cluster, NodeHistory history, long now, List<V1Node> nodes)
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
            foreach (var node in nodes) await WriteEventAsync(context, "ADDED", KubernetesJson.Serialize(node));
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
                    await WriteEventAsync(context, change.Type, KubernetesJson.Serialize(change.Node));
                    sent = change.Version;
                }

                await Task.Delay(PollInterval, deadline.Token);
                if (await cluster(context) is not { } objects) return;
                history.Observe(objects.Nodes.Items);
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
