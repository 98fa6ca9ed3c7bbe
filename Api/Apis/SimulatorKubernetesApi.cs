using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.Tokens;
using Orleans;
using SpotOptimizer.Api.Auth;
using SpotOptimizer.Api.Http;
using SpotOptimizer.Cloud.Simulation;
using SpotOptimizer.Grains.Interfaces.Clusters;
using SpotOptimizer.SimulatedKubernetes;
using SpotOptimizer.Tenancy;

namespace SpotOptimizer.Api.Apis;

/// <summary>
/// Simulator only: each simulated EKS cluster's Kubernetes API (what the agent reads and writes), served by the platform
/// under <c>/api/simulator/clusters/{id}/kubernetes</c>, and the kubeconfig that points the real agent at it. The
/// kubeconfig's token is a credential for that one cluster of that one organization (an HMAC under a key derived from
/// the platform's signing key), so the Kubernetes routes need no session and show no other tenant's cluster.
/// </summary>
public static class SimulatorKubernetesApi
{
    private const string KubernetesPath = "kubernetes";

    public static IEndpointRouteBuilder MapSimulatorKubernetesApi(this IEndpointRouteBuilder app)
    {
        if (app.ServiceProvider.GetService<SimulatedCloud>() is null) return app;
        app.MapGet("/api/simulator/clusters/{id}/kubeconfig", Kubeconfig).WithTags("simulator").RequireAuthorization(AuthServices.ClientPolicy)
            .Produces<string>(StatusCodes.Status200OK, "application/yaml");
        // Writes stick per cluster for the process's life (one overlay per cluster, in a singleton when the host registers one).
        var overlays = app.ServiceProvider.GetService<SimulatedKubernetesClusters>() ?? new SimulatedKubernetesClusters();
        // Kubernetes's own API, documented by Kubernetes: kept out of our OpenAPI document.
        app.MapGroup($"/api/simulator/clusters/{{id}}/{KubernetesPath}").AllowAnonymous().ExcludeFromDescription()
            .MapSimulatedKubernetes(context => ClusterAsync(context, overlays));
        return app;
    }

    public static async Task<IResult> Kubeconfig(string id, HttpRequest request, ClaimsPrincipal user, IGrainFactory grains, SymmetricSecurityKey key)
    {
        if (!Ids.TryNormalize(id, out var clusterId)) return Ids.Invalid("id");
        var organizationId = user.OrganizationId();
        if (await grains.GetGrain<IClusterGrain>(clusterId).Get(organizationId) is not { } cluster) return Problems.NotFound("cluster");
        return Results.Text(KubeconfigFor(key, organizationId, clusterId, cluster.Name, $"{request.Scheme}://{request.Host}{request.PathBase}"), "application/yaml");
    }

    /// <summary>The kubeconfig of one simulated cluster served by the platform at <paramref name="platformUrl"/> (the demo's agents use it too).</summary>
    internal static string KubeconfigFor(SymmetricSecurityKey key, string organizationId, string clusterId, string clusterName, string platformUrl) =>
        KubeconfigYaml.For(clusterName, $"{platformUrl.TrimEnd('/')}/api/simulator/clusters/{clusterId}/{KubernetesPath}", Credential(key, organizationId, clusterId));

    /// <returns>Null (the API answers 404) for a missing or wrong credential, or a cluster that is not the credential's.</returns>
    private static async Task<SimulatedKubernetesCluster?> ClusterAsync(HttpContext context, SimulatedKubernetesClusters overlays)
    {
        // A watch lists its cluster again every half second on the same request: the credential, the grain and the
        // account are looked up once per request, only the objects are generated anew.
        if (context.Items[typeof(SimulatedClusterLocation)] is not SimulatedClusterLocation location)
        {
            if (await LocateAsync(context) is not { } found) return null;
            context.Items[typeof(SimulatedClusterLocation)] = location = found;
        }

        var services = context.RequestServices;
        // The world is an immutable value replaced on every change: read it anew each time.
        var cloud = services.GetRequiredService<SimulatedCloud>();
        var world = cloud.World;
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var region = location.AwsAccountId is { } aws ? world.FindAccount(aws)?.FindRegion(location.Region) : null;
        var generated = TerminationHandler.ClusterAt(region is null ? null : cloud.ObservedAt(region, now), location.ClusterName,
            SimulatedWorkloads.SeedOf(world.Seed, location.ClusterName), now);
        return new SimulatedKubernetesCluster(generated, overlays.For(location.ClusterId));
    }

    private sealed record SimulatedClusterLocation(string ClusterId, string ClusterName, string? AwsAccountId, string Region);

    private static async Task<SimulatedClusterLocation?> LocateAsync(HttpContext context)
    {
        var services = context.RequestServices;
        var header = context.Request.Headers.Authorization.ToString();
        var token = header.StartsWith("Bearer ", StringComparison.Ordinal) ? header["Bearer ".Length..].Trim() : "";
        var dot = token.LastIndexOf('.');
        if (!Ids.TryNormalize(context.GetRouteValue("id") as string ?? "", out var clusterId) || dot <= 0) return null;
        var organizationId = token[..dot];
        var expected = Credential(services.GetRequiredService<SymmetricSecurityKey>(), organizationId, clusterId);
        if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(token), Encoding.UTF8.GetBytes(expected))) return null;

        if (await services.GetRequiredService<IGrainFactory>().GetGrain<IClusterGrain>(clusterId).Get(organizationId) is not { } cluster) return null;
        var account = await services.GetRequiredService<AccountDirectory>().GetAsync(organizationId, cluster.AccountId, context.RequestAborted);
        return new SimulatedClusterLocation(clusterId, cluster.Name, account?.AwsAccountId, cluster.Region);
    }

    /// <summary><c>{organization}.{HMAC(organization/cluster)}</c>, under a key the platform key derives for this use only.</summary>
    private static string Credential(SymmetricSecurityKey key, string organizationId, string clusterId)
    {
        var derived = HMACSHA256.HashData(key.Key, "simulated-kubernetes"u8);
        var mac = HMACSHA256.HashData(derived, Encoding.UTF8.GetBytes($"{organizationId}/{clusterId}"));
        return $"{organizationId}.{Base64UrlEncoder.Encode(mac)}";
    }
}
