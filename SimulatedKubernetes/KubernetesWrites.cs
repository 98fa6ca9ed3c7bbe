using k8s;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace SpotOptimizer.SimulatedKubernetes;

/// <summary>One simulated cluster as its API server holds it: the objects generated from the world now, and the writes made to it.</summary>
public sealed record SimulatedKubernetesCluster(KubernetesObjects Generated, KubernetesOverlay Overlay);

/// <summary>
/// The simulated API with its write side: the lists (with every write applied), single-object reads, node PATCH (the
/// three patch media types), pod eviction honouring PodDisruptionBudgets, and Karpenter's NodePools when the cluster
/// has the CRDs. <c>dryRun=All</c> answers as the write would and changes nothing, as the API server's dry run does.
/// </summary>
public static class KubernetesWrites
{
    public static IEndpointRouteBuilder MapSimulatedKubernetes(this IEndpointRouteBuilder routes, Func<HttpContext, Task<SimulatedKubernetesCluster?>> cluster)
    {
        routes.MapSimulatedKubernetesApi(async context => await cluster(context) is { } c ? c.Overlay.Apply(c.Generated) : null);
        Map(routes, "GET", "/api/v1/nodes/{name}", cluster, (c, context, _) =>
            Object(c.Overlay.Apply(c.Generated).Nodes.Items.FirstOrDefault(n => n.Metadata.Name == Route(context, "name")), "nodes", Route(context, "name")));
        Map(routes, "PATCH", "/api/v1/nodes/{name}", cluster, (c, context, body) =>
            c.Overlay.PatchNode(c.Generated, Route(context, "name"), context.Request.ContentType, body, DryRun(context, body)));
        Map(routes, "GET", "/api/v1/namespaces/{ns}/pods/{name}", cluster, (c, context, _) =>
            Object(c.Overlay.Apply(c.Generated).Pods.Items.FirstOrDefault(p => p.Metadata.NamespaceProperty == Route(context, "ns") && p.Metadata.Name == Route(context, "name")), "pods", Route(context, "name")));
        Map(routes, "POST", "/api/v1/namespaces/{ns}/pods/{name}/eviction", cluster, (c, context, body) =>
            c.Overlay.Evict(c.Generated, Route(context, "ns"), Route(context, "name"), DryRun(context, body)));

        // Karpenter's groups: absent (404) on a cluster without the CRDs, as on a real one.
        Map(routes, "GET", "/apis/karpenter.sh/v1", cluster, (c, _, _) => Karpenter(c, () => KubernetesJson.Serialize(KarpenterNodePools.Resources("karpenter.sh", "nodepools", "NodePool"))));
        Map(routes, "GET", "/apis/karpenter.k8s.aws/v1", cluster, (c, _, _) => Karpenter(c, () => KubernetesJson.Serialize(KarpenterNodePools.Resources("karpenter.k8s.aws", "ec2nodeclasses", "EC2NodeClass"))));
        Map(routes, "GET", "/apis/karpenter.sh/v1/nodepools", cluster, (c, _, _) =>
            Karpenter(c, () => KarpenterNodePools.List("karpenter.sh/v1", "NodePoolList", c.Overlay.Apply(c.Generated).NodePools!).ToJsonString()));
        Map(routes, "GET", "/apis/karpenter.sh/v1/nodepools/{name}", cluster, (c, context, _) =>
            c.Overlay.Apply(c.Generated).NodePools?.FirstOrDefault(p => p["metadata"]?["name"]?.GetValue<string>() == Route(context, "name")) is { } pool
                ? (200, pool.ToJsonString())
                : KubernetesStatus.NotFound("nodepools", Route(context, "name")));
        Map(routes, "PATCH", "/apis/karpenter.sh/v1/nodepools/{name}", cluster, (c, context, body) =>
            c.Overlay.PatchNodePool(c.Generated, Route(context, "name"), context.Request.ContentType, body, DryRun(context, body)));
        Map(routes, "GET", "/apis/karpenter.k8s.aws/v1/ec2nodeclasses", cluster, (c, _, _) =>
            Karpenter(c, () => KarpenterNodePools.List("karpenter.k8s.aws/v1", "EC2NodeClassList", [KarpenterNodePools.NodeClass]).ToJsonString()));
        return routes;
    }

    private static void Map(IEndpointRouteBuilder routes, string method, string pattern, Func<HttpContext, Task<SimulatedKubernetesCluster?>> cluster,
        Func<SimulatedKubernetesCluster, HttpContext, string, (int Status, string Body)> handle)
    {
        // A typed Func, not a lambda: an HttpContext → Task lambda would bind as a RequestDelegate and drop the result.
        Func<HttpContext, Task<IResult>> handler = async context =>
        {
            if (await cluster(context) is not { } c) return Results.Text(KubernetesStatus.NotFound("clusters", "the simulated cluster").Item2, "application/json", statusCode: 404);
            using var reader = new StreamReader(context.Request.Body);
            var (status, body) = handle(c, context, await reader.ReadToEndAsync(context.RequestAborted));
            return Results.Text(body, "application/json", statusCode: status);
        };
        routes.MapMethods(pattern, [method], handler);
    }

    private static (int, string) Object(object? found, string resource, string name) =>
        found is null ? KubernetesStatus.NotFound(resource, name) : (200, KubernetesJson.Serialize(found));

    private static (int, string) Karpenter(SimulatedKubernetesCluster cluster, Func<string> body) =>
        cluster.Overlay.Apply(cluster.Generated).NodePools is null
            ? KubernetesStatus.NotFound("groups", "karpenter.sh")
            : (200, body());

    private static string Route(HttpContext context, string name) => context.GetRouteValue(name) as string ?? "";

    /// <summary><c>?dryRun=All</c>, or an eviction's <c>deleteOptions.dryRun: ["All"]</c>.</summary>
    private static bool DryRun(HttpContext context, string body) =>
        context.Request.Query["dryRun"].Contains("All")
        || (body.Contains("\"dryRun\"", StringComparison.Ordinal) && System.Text.Json.Nodes.JsonNode.Parse(body)?["deleteOptions"]?["dryRun"] is System.Text.Json.Nodes.JsonArray modes
            && modes.Any(m => m?.GetValue<string>() == "All"));
}
