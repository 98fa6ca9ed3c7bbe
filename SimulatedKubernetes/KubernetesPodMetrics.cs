using System.Globalization;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using SpotOptimizer.Grains.Interfaces.Clusters;

namespace SpotOptimizer.SimulatedKubernetes;

/// <summary>
/// metrics-server on a simulated cluster: <c>GET /apis/metrics.k8s.io/v1beta1/pods</c> in its JSON (CPU in nanocores,
/// memory in KiB), every running pod's usage at the last 15-second scrape (<see cref="SimulatedPodUsage"/>), and the
/// group in discovery. A cluster whose <see cref="KubernetesObjects.PodUsage"/> is null has no metrics-server: 404.
/// </summary>
public static class KubernetesPodMetrics
{
    public const string GroupVersion = "metrics.k8s.io/v1beta1";

    /// <summary>metrics-server's default scrape interval: one sample per pod per interval, stamped with its start.</summary>
    public static readonly TimeSpan Resolution = TimeSpan.FromSeconds(15);

    public static void Map(IEndpointRouteBuilder routes, Func<HttpContext, Task<KubernetesObjects?>> cluster)
    {
        Get(routes, "/apis/metrics.k8s.io/v1beta1", cluster, (_, _) => KubernetesJson.Serialize(new V1APIResourceList
        {
            ApiVersion = "v1", Kind = "APIResourceList", GroupVersion = GroupVersion,
            Resources = [new V1APIResource { Name = "pods", SingularName = "", Kind = "PodMetrics", Namespaced = true, Verbs = ["get", "list"] }],
        }));
        Get(routes, "/apis/metrics.k8s.io/v1beta1/pods", cluster, (objects, context) =>
            List(objects, (context.RequestServices.GetService<TimeProvider>() ?? TimeProvider.System).GetUtcNow()).ToJsonString());
    }

    /// <summary>The named groups, with metrics.k8s.io when the cluster has metrics-server.</summary>
    public static V1APIGroupList Groups(KubernetesObjects cluster, V1APIGroupList groups)
    {
        if (cluster.PodUsage is null) return groups;
        var version = new V1GroupVersionForDiscovery { GroupVersion = GroupVersion, Version = "v1beta1" };
        return new V1APIGroupList
        {
            ApiVersion = "v1", Kind = "APIGroupList",
            Groups = [.. groups.Groups, new V1APIGroup { Name = "metrics.k8s.io", Versions = [version], PreferredVersion = version }],
        };
    }

    /// <summary>Every running pod at the scrape before <paramref name="now"/>.</summary>
    public static JsonObject List(KubernetesObjects cluster, DateTimeOffset now)
    {
        var scrape = new DateTimeOffset(now.UtcTicks - (now.UtcTicks % Resolution.Ticks), TimeSpan.Zero);
        var items = new JsonArray();
        foreach (var pod in cluster.Pods.Items.Where(p => p.Spec.NodeName is not null && p.Status?.Phase == "Running"))
        {
            var (cpu, memory) = SimulatedPodUsage.At(ShapeOf(cluster, pod), $"{pod.Metadata.NamespaceProperty}/{pod.Metadata.Name}", scrape);
            items.Add(new JsonObject
            {
                ["metadata"] = new JsonObject
                {
                    ["name"] = pod.Metadata.Name, ["namespace"] = pod.Metadata.NamespaceProperty,
                    ["creationTimestamp"] = scrape.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
                },
                ["timestamp"] = scrape.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
                ["window"] = $"{Resolution.TotalSeconds}s",
                ["containers"] = new JsonArray(new JsonObject
                {
                    ["name"] = pod.Spec.Containers[0].Name,
                    ["usage"] = new JsonObject
                    {
                        ["cpu"] = $"{(long)Math.Round(cpu * 1_000_000)}n",
                        ["memory"] = $"{(long)Math.Round(memory * 1024)}Ki",
                    },
                }),
            });
        }

        return new JsonObject { ["kind"] = "PodMetricsList", ["apiVersion"] = GroupVersion, ["metadata"] = new JsonObject(), ["items"] = items };
    }

    /// <summary>The pod's workload's shape (by the app label the simulated pods carry), else one from its requests.</summary>
    public static WorkloadUsage ShapeOf(KubernetesObjects cluster, V1Pod pod)
    {
        if (pod.Metadata.Labels?.TryGetValue(KubernetesObjects.AppLabel, out var workload) == true
            && cluster.PodUsage?.GetValueOrDefault($"{pod.Metadata.NamespaceProperty}/{workload}") is { } shape)
        {
            return shape;
        }

        var requests = pod.Spec.Containers[0].Resources?.Requests;
        double Request(string resource, decimal unit) => requests?.TryGetValue(resource, out var q) == true ? (double)(q.ToDecimal() / unit) : 0;
        return SimulatedPodUsage.FromRequests(Request("cpu", 0.001m), Request("memory", 1024m * 1024m));
    }

    private static void Get(IEndpointRouteBuilder routes, string pattern, Func<HttpContext, Task<KubernetesObjects?>> cluster, Func<KubernetesObjects, HttpContext, string> body)
    {
        // A typed Func, not a lambda: an HttpContext → Task lambda would bind as a RequestDelegate and drop the result.
        Func<HttpContext, Task<IResult>> handler = async context => await cluster(context) is not { } objects
            ? Results.Text(KubernetesStatus.ClusterNotFound, "application/json", statusCode: StatusCodes.Status404NotFound)
            : objects.PodUsage is null
                ? Results.Text(KubernetesStatus.NotFound("groups", "metrics.k8s.io").Item2, "application/json", statusCode: StatusCodes.Status404NotFound)
                : Results.Text(body(objects, context), "application/json");
        routes.MapGet(pattern, handler);
    }
}
