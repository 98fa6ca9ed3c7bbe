using k8s;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace SpotOptimizer.SimulatedKubernetes;

/// <summary>
/// The read subset of the Kubernetes API the agent uses (cluster-wide lists), in the API's JSON, for one simulated
/// cluster chosen by <c>cluster</c>, with the discovery documents kubectl reads first; nodes and events can also be
/// watched (<see cref="KubernetesWatch"/>). Mapped on a dedicated host in tests or under a route group.
/// </summary>
public static class SimulatedKubernetesApi
{
    public static IEndpointRouteBuilder MapSimulatedKubernetesApi(this IEndpointRouteBuilder routes, Func<HttpContext, Task<KubernetesObjects?>> cluster)
    {
        List(routes, "/api", cluster, _ => KubernetesDiscovery.CoreVersions);
        List(routes, "/apis", cluster, o => KubernetesPodMetrics.Groups(o, KarpenterNodePools.Groups(o)));
        foreach (var (path, resources) in KubernetesDiscovery.Resources) List(routes, path, cluster, _ => resources);
        KubernetesWatch.Map(routes, KubernetesWatch.Nodes, cluster);
        KubernetesWatch.Map(routes, KubernetesWatch.Events, cluster);
        KubernetesPodMetrics.Map(routes, cluster);
        List(routes, "/api/v1/pods", cluster, o => o.Pods);
        List(routes, "/apis/policy/v1/poddisruptionbudgets", cluster, o => o.DisruptionBudgets);
        List(routes, "/apis/apps/v1/replicasets", cluster, o => o.ReplicaSets);
        List(routes, "/apis/apps/v1/deployments", cluster, o => o.Deployments);
        List(routes, "/apis/apps/v1/statefulsets", cluster, o => o.StatefulSets);
        List(routes, "/apis/apps/v1/daemonsets", cluster, o => o.DaemonSets);
        return routes;
    }

    /// <summary>Serialized with the client library's own settings, so field names and quantities are the API's.</summary>
    private static void List(IEndpointRouteBuilder routes, string pattern, Func<HttpContext, Task<KubernetesObjects?>> cluster, Func<KubernetesObjects, object> list)
    {
        // A typed Func, not a lambda: an HttpContext → Task lambda would bind as a RequestDelegate and drop the result.
        Func<HttpContext, Task<IResult>> handler = async context => await cluster(context) is { } objects
            ? Results.Text(KubernetesJson.Serialize(list(objects)), "application/json")
            : Results.Text(NotFound, "application/json", statusCode: StatusCodes.Status404NotFound);
        routes.MapGet(pattern, handler);
    }

    /// <summary>The API server's Status object for a missing resource (the library's V1Status converter only reads).</summary>
    private const string NotFound =
        """{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"the simulated cluster does not exist","reason":"NotFound","code":404}""";
}
