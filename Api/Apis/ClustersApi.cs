using System.Security.Claims;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using SpotOptimizer.Api.Auth;
using SpotOptimizer.Api.Http;
using SpotOptimizer.Api.Install;
using SpotOptimizer.Grains.Interfaces.Accounts;
using SpotOptimizer.Grains.Interfaces.Clusters;
using Orleans;

namespace SpotOptimizer.Api.Apis;

/// <summary>The cluster registry: what discovery found, connecting an agent, and the managed clusters' status.</summary>
public static class ClustersApi
{
    public static IEndpointRouteBuilder MapClustersApi(this IEndpointRouteBuilder app)
    {
        var clusters = app.MapGroup("/api/clusters").WithTags("clusters").RequireAuthorization(AuthServices.ClientPolicy);
        clusters.MapGet("/discover", Discover).Produces<DiscoveredClusters>(StatusCodes.Status200OK);
        clusters.MapPost("/connect", Connect).AcceptsJson<ConnectRequest>().Produces<ConnectResponse>(StatusCodes.Status200OK);
        clusters.MapGet("/{id}", Get).Produces<ClusterView>(StatusCodes.Status200OK);
        clusters.MapDelete("/{id}", Unmanage).Produces<UnmanagedResponse>(StatusCodes.Status200OK);
        clusters.MapGet("/{id}/verify", VerifyAgent).Produces<AgentCheck>(StatusCodes.Status200OK);
        clusters.MapDelete("/{id}/agent-token", RevokeAgentToken).Produces(StatusCodes.Status204NoContent);
        app.MapGet("/api/client/clusters", List).WithTags("clusters").RequireAuthorization(AuthServices.ClientPolicy).Produces<ManagedClusters>(StatusCodes.Status200OK);
        return app;
    }

    public static async Task<IResult> Discover([FromQuery(Name = "account_id")] string? accountIdText, ClaimsPrincipal user, IGrainFactory grains)
    {
        if (!Ids.TryNormalize(accountIdText, out var accountId)) return Ids.Invalid("account_id");
        var organizationId = user.OrganizationId();
        var found = await grains.GetGrain<IAccountGrain>(accountId).GetDiscoveredClusters(organizationId);
        if (found is null) return Problems.NotFound("account");
        var unmanaged = new List<DiscoveredCluster>();
        foreach (var cluster in found)
        {
            var view = await grains.GetGrain<IClusterGrain>(cluster.ClusterId).Get(organizationId);
            if (view is { Managed: false }) unmanaged.Add(cluster);
        }

        return TypedResults.Ok(new DiscoveredClusters(unmanaged));
    }

    /// <summary>Manages the cluster with a new agent token (shown once) and the commands that install the agent with it.</summary>
    public static async Task<IResult> Connect(
        HttpRequest request, ClaimsPrincipal user, IGrainFactory grains, ManifestLinks links, IOptions<AgentInstallOptions> install, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync<ConnectRequest>(request, cancellationToken);
        if (problem is not null) return problem;
        Ids.TryNormalize(body!.ClusterId, out var clusterId);
        var issued = await grains.GetGrain<IClusterGrain>(clusterId).Connect(user.OrganizationId(), user.Actor());
        if (issued is null) return Problems.NotFound("cluster");
        var (helm, kubectl, manifestUrl, expiresAt) = AgentInstallApi.Commands(request, user.OrganizationId(), issued, links, install.Value, time);
        return TypedResults.Ok(new ConnectResponse(issued.ClusterId, issued.Token, helm, kubectl, manifestUrl, expiresAt));
    }

    public static async Task<IResult> List(ClaimsPrincipal user, IGrainFactory grains)
    {
        var organizationId = user.OrganizationId();
        var views = new List<ClusterView>();
        foreach (var id in await grains.GetGrain<IOrganizationGrain>(organizationId).GetManagedClusters())
        {
            if (await grains.GetGrain<IClusterGrain>(id).Get(organizationId) is { } view) views.Add(view);
        }

        return TypedResults.Ok(new ManagedClusters(views));
    }

    /// <summary>One cluster of the organization, managed or only discovered.</summary>
    public static async Task<IResult> Get(string id, ClaimsPrincipal user, IGrainFactory grains)
    {
        if (!Ids.TryNormalize(id, out var clusterId)) return Ids.Invalid("id");
        var view = await grains.GetGrain<IClusterGrain>(clusterId).Get(user.OrganizationId());
        return view is null ? Problems.NotFound("cluster") : TypedResults.Ok(view);
    }

    /// <summary>
    /// Stops managing the cluster (loops, running job, agent token); it stays discovered and can be connected again.
    /// Unmanaging a cluster that is not managed answers 409 <c>cluster_not_managed</c>, so a repeated call is harmless.
    /// </summary>
    public static async Task<IResult> Unmanage(string id, ClaimsPrincipal user, IGrainFactory grains)
    {
        if (!Ids.TryNormalize(id, out var clusterId)) return Ids.Invalid("id");
        var result = await grains.GetGrain<IClusterGrain>(clusterId).Unmanage(user.OrganizationId(), user.Actor());
        return result switch
        {
            null => Problems.NotFound("cluster"),
            { WasManaged: false } => Problems.Conflict(OptimizationRefusals.NotManaged, "The cluster is not managed; connect it with POST /api/clusters/connect."),
            _ => TypedResults.Ok(new UnmanagedResponse(clusterId, Managed: false, result.CancelledJobId, result.LeftAsleep)),
        };
    }

    public static async Task<IResult> VerifyAgent(string id, ClaimsPrincipal user, IGrainFactory grains)
    {
        if (!Ids.TryNormalize(id, out var clusterId)) return Ids.Invalid("id");
        var view = await grains.GetGrain<IClusterGrain>(clusterId).Get(user.OrganizationId());
        return view is null ? Problems.NotFound("cluster") : TypedResults.Ok(new AgentCheck(view.AgentStatus, view.LastSeen));
    }

    public static async Task<IResult> RevokeAgentToken(string id, ClaimsPrincipal user, IGrainFactory grains)
    {
        if (!Ids.TryNormalize(id, out var clusterId)) return Ids.Invalid("id");
        return await grains.GetGrain<IClusterGrain>(clusterId).RevokeAgentToken(user.OrganizationId(), user.Actor())
            ? TypedResults.NoContent()
            : Problems.NotFound("connected cluster");
    }

    public sealed record ConnectRequest(string? ClusterId) : IValidatable
    {
        public void Validate(ValidationErrors errors)
        {
            errors.RequiredId("cluster_id", ClusterId);
        }
    }

    /// <param name="ManifestUrl">The kubectl command's link: it embeds the token (sealed) and works until <paramref name="ManifestExpiresAt"/>.</param>
    public sealed record ConnectResponse(
        string ClusterId, string AgentToken, string HelmCommand, string KubectlCommand, string ManifestUrl, DateTimeOffset ManifestExpiresAt);

    public sealed record DiscoveredClusters(IReadOnlyList<DiscoveredCluster> Clusters);

    public sealed record ManagedClusters(IReadOnlyList<ClusterView> Clusters);

    /// <param name="LeftAsleep">It was asleep on its schedule and could not be woken (see the ledger's cluster.unmanaged entry); its node groups are still scaled down.</param>
    public sealed record UnmanagedResponse(string ClusterId, bool Managed, string? CancelledJobId, bool LeftAsleep);

    public sealed record AgentCheck(string Status, DateTimeOffset? LastSeen);
}
