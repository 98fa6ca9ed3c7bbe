using System.Security.Claims;
using Microsoft.AspNetCore.Mvc;
using Orleans;
using SpotOptimizer.Api.Auth;
using SpotOptimizer.Api.Http;
using SpotOptimizer.Grains.Interfaces.Clusters;
using SpotOptimizer.Grains.Interfaces.Insights;

namespace SpotOptimizer.Api.Apis;

/// <summary>
/// The dashboard's numbers (issue 14 items 1, 2, 8): KPIs and the 12-month projection, each cluster's computed and
/// cached by its <see cref="IClusterInsightsGrain"/>; the organization's KPIs are the sum of its managed clusters'.
/// </summary>
public static class MetricsApi
{
    public static IEndpointRouteBuilder MapMetricsApi(this IEndpointRouteBuilder app)
    {
        var metrics = app.MapGroup("/api/metrics").WithTags("metrics").RequireAuthorization(AuthServices.ClientPolicy);
        metrics.MapGet("/kpi", Kpi).Produces<KpiResponse>(StatusCodes.Status200OK);
        metrics.MapGet("/projection", Projection).Produces<ProjectionView>(StatusCodes.Status200OK);
        return app;
    }

    public static async Task<IResult> Kpi([FromQuery(Name = "cluster_id")] string? clusterIdText, ClaimsPrincipal user, IGrainFactory grains)
    {
        var organizationId = user.OrganizationId();
        if (clusterIdText is not null)
        {
            if (!Ids.TryNormalize(clusterIdText, out var clusterId)) return Ids.Invalid("cluster_id");
            return await grains.GetGrain<IClusterInsightsGrain>(clusterId).GetKpi(organizationId) is { } kpi
                ? TypedResults.Ok(KpiResponse.Of("cluster", clusterId, [kpi]))
                : Problems.NotFound("cluster");
        }

        var clusters = new List<ClusterKpi>();
        foreach (var id in (await grains.GetGrain<IOrganizationGrain>(organizationId).GetManagedClusters()).Order(StringComparer.Ordinal))
        {
            if (await grains.GetGrain<IClusterInsightsGrain>(id).GetKpi(organizationId) is { } kpi) clusters.Add(kpi);
        }

        return TypedResults.Ok(KpiResponse.Of("organization", null, clusters));
    }

    public static async Task<IResult> Projection([FromQuery(Name = "cluster_id")] string? clusterIdText, ClaimsPrincipal user, IGrainFactory grains)
    {
        if (string.IsNullOrWhiteSpace(clusterIdText)) return Problems.BadRequest("cluster_id_required", "Name the cluster: ?cluster_id=<id>.");
        if (!Ids.TryNormalize(clusterIdText, out var clusterId)) return Ids.Invalid("cluster_id");
        return await grains.GetGrain<IClusterInsightsGrain>(clusterId).GetProjection(user.OrganizationId()) is { } projection
            ? TypedResults.Ok(projection)
            : Problems.NotFound("cluster");
    }

    /// <summary>The figures summed over <see cref="Clusters"/> (one cluster: its own), each with its basis; per-cluster detail below.</summary>
    public sealed record KpiResponse(
        string Scope,
        string? ClusterId,
        KpiFigure CurrentMonthlySpend,
        KpiFigure OnDemandMonthlySpend,
        KpiFigure NetSavingsRealised,
        CompositionCountsView Composition,
        IReadOnlyList<CommitmentUseView> Commitments,
        KpiFigure HeadroomMonthlyCost,
        KpiFigure InterruptionsAvoided,
        IReadOnlyList<ClusterKpi> Clusters)
    {
        public static KpiResponse Of(string scope, string? clusterId, IReadOnlyList<ClusterKpi> clusters)
        {
            var said = scope == "cluster" ? "" : $"Sum over the organization's {clusters.Count} managed cluster(s); per cluster: ";
            KpiFigure Sum(Func<ClusterKpi, KpiFigure> figure, string unit, string none) => clusters.Count == 0
                ? new KpiFigure(0, unit, none)
                : new KpiFigure(Math.Round(clusters.Sum(c => figure(c).Value), 6), unit, said + figure(clusters[0]).Basis);
            const string NoCluster = "No managed cluster yet.";
            return new KpiResponse(scope, clusterId,
                Sum(c => c.CurrentMonthlySpend, "usd_per_month", NoCluster),
                Sum(c => c.OnDemandMonthlySpend, "usd_per_month", NoCluster),
                Sum(c => c.NetSavingsRealised, "usd", NoCluster),
                new CompositionCountsView(clusters.Sum(c => c.Composition.Total.Spot), clusters.Sum(c => c.Composition.Total.OnDemand),
                    clusters.Sum(c => c.Composition.Total.CoveredByCommitments)),
                // Commitments are the organization's: every cluster reports the same utilisation.
                clusters.Count == 0 ? [] : clusters[0].Commitments,
                Sum(c => c.HeadroomMonthlyCost, "usd_per_month", "no headroom configured"),
                Sum(c => c.InterruptionsAvoided, "nodes", NoCluster),
                clusters);
        }
    }
}
