using k8s;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace SpotOptimizer.SimulatedKubernetes;

/// <summary>
/// The read subset of the Kubernetes API the agent uses (cluster-wide lists), in the API's JSON, for one simulated
/// cluster chosen by <c>cluster</c>. Mapped on a dedicated host in tests or under a route group; no watch streams yet.
/// </summary>
public static class SimulatedKubernetesApi
{
    public static IEndpointRouteBuilder MapSimulatedKubernetesApi(this IEndpointRouteBuilder routes, Func<HttpContext, KubernetesObjects?> cluster)
    {
        routes.MapGet("/api/v1/nodes", (HttpContext c) => List(cluster(c), o => o.Nodes));
        routes.MapGet("/api/v1/pods", (HttpContext c) => List(cluster(c), o => o.Pods));
        routes.MapGet("/apis/policy/v1/poddisruptionbudgets", (HttpContext c) => List(cluster(c), o => o.DisruptionBudgets));
        routes.MapGet("/apis/apps/v1/replicasets", (HttpContext c) => List(cluster(c), o => o.ReplicaSets));
        routes.MapGet("/apis/apps/v1/deployments", (HttpContext c) => List(cluster(c), o => o.Deployments));
        routes.MapGet("/apis/apps/v1/statefulsets", (HttpContext c) => List(cluster(c), o => o.StatefulSets));
        routes.MapGet("/apis/apps/v1/daemonsets", (HttpContext c) => List(cluster(c), o => o.DaemonSets));
        return routes;
    }

    /// <summary>Serialized with the client library's own settings, so field names and quantities are the API's.</summary>
    private static IResult List(KubernetesObjects? cluster, Func<KubernetesObjects, object> list) =>
        cluster is null
            ? Results.Text(NotFound, "application/json", statusCode: StatusCodes.Status404NotFound)
            : Results.Text(KubernetesJson.Serialize(list(cluster)), "application/json");

    /// <summary>The API server's Status object for a missing resource.</summary>
    private static readonly string NotFound = KubernetesJson.Serialize(new k8s.Models.V1Status
    {
        ApiVersion = "v1", Kind = "Status", Status = "Failure", Reason = "NotFound", Code = 404, Message = "the simulated cluster does not exist",
    });
}
