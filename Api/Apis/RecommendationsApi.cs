using System.Security.Claims;
using SpotOptimizer.Api.Auth;
using SpotOptimizer.Api.Http;
using SpotOptimizer.Grains.Interfaces.Optimization;
using Orleans;

namespace SpotOptimizer.Api.Apis;

/// <summary>
/// Right-sizing recommendations (MOD-SIZE-01): per workload, the requests and limits its measured usage calls for and
/// the saving (or, for an increase, the cost) they would bring. Read-only: nothing is applied, nothing is written.
/// A cluster whose agent has not reported yet answers 200 with <c>status: no_inventory</c> and no items, so a
/// dashboard renders "waiting for the agent" from the same shape instead of handling an error.
/// </summary>
public static class RecommendationsApi
{
    public static IEndpointRouteBuilder MapRecommendationsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/clusters/{id}/recommendations", Get).WithTags("recommendations").RequireAuthorization(AuthServices.ClientPolicy)
            .Produces<Recommendations>(StatusCodes.Status200OK);
        return app;
    }

    public static async Task<IResult> Get(string id, ClaimsPrincipal user, IGrainFactory grains)
    {
        if (!Ids.TryNormalize(id, out var clusterId)) return Ids.Invalid("id");
        var view = await grains.GetGrain<IRightSizingGrain>(clusterId).GetRecommendations(user.OrganizationId());
        return view is null ? Problems.NotFound("cluster") : TypedResults.Ok(Recommendations.From(view));
    }

    /// <param name="Status">ok, no_inventory (the agent has not reported yet) or no_prices (no node has a market price: no savings).</param>
    public sealed record Recommendations(
        string ClusterId, int InventoryVersion, string Status, double WindowDays, double Margin, string Basis, UnitPriceBody? UnitPrices,
        IReadOnlyList<Item> Items, double? TotalMonthlySaving, double? MonthlySavingFromDecreases, double? MonthlyCostOfIncreases,
        IReadOnlyList<SkippedWorkload> Skipped)
    {
        public static Recommendations From(RightSizingView v) => new(
            v.ClusterId, v.InventoryVersion, v.Status, v.WindowDays, v.Margin, v.Basis,
            v.UnitPrices is { } p ? new UnitPriceBody(p.PerVCpuHour, p.PerGiBHour) : null,
            [.. v.Items.Select(Item.From)], v.TotalMonthlySaving, v.MonthlySavingFromDecreases, v.MonthlyCostOfIncreases, v.Skipped);
    }

    public sealed record UnitPriceBody(double PerVcpuHour, double PerGibHour);

    public sealed record Item(
        string Namespace, string Workload, string Kind, int Replicas, string Code, string? Risk, double Confidence,
        Resources Current, Resources Recommended, Usage Usage, bool PodSpecsDiffer, double? MonthlySaving)
    {
        public static Item From(WorkloadRecommendation r) => new(
            r.Namespace, r.Workload, r.Kind, r.Replicas, r.Code, r.Risk, r.Confidence, Resources.From(r.Current), Resources.From(r.Recommended),
            new Usage(r.Usage.WindowDays, r.Usage.Source, r.Usage.CpuP50Millicores, r.Usage.CpuP95Millicores, r.Usage.CpuP99Millicores,
                r.Usage.MemoryP50MiB, r.Usage.MemoryP95MiB, r.Usage.MemoryP99MiB),
            r.PodSpecsDiffer, r.MonthlySaving);
    }

    /// <summary>Per pod; a null limit is no limit (the wire spells MiB as <c>mib</c>).</summary>
    public sealed record Resources(int CpuRequestMillicores, int MemoryRequestMib, int? CpuLimitMillicores, int? MemoryLimitMib)
    {
        public static Resources From(PodResourceSpec s) => new(s.CpuRequestMillicores, s.MemoryRequestMiB, s.CpuLimitMillicores, s.MemoryLimitMiB);
    }

    public sealed record Usage(
        double WindowDays, string Source, int CpuP50Millicores, int CpuP95Millicores, int CpuP99Millicores, int MemoryP50Mib, int MemoryP95Mib, int MemoryP99Mib);
}
