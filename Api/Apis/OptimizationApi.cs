using System.Security.Claims;
using SpotOptimizer.Api.Auth;
using SpotOptimizer.Api.Http;
using SpotOptimizer.Grains.Interfaces.Clusters;
using SpotOptimizer.Grains.Interfaces.Market;
using SpotOptimizer.Grains.Interfaces.Optimization;
using Orleans;

namespace SpotOptimizer.Api.Apis;

/// <summary>
/// Optimization on demand: POST starts a job (detect → risk → decide → execute) and answers 202 with its id at once;
/// GET /api/jobs/{id} shows its progress, plan and every executed or dry-run action. Also the hive mind's view of a
/// region: the pools flagged for every tenant right now and why, and those the caller's own reports flagged for it alone.
/// </summary>
public static class OptimizationApi
{
    public static IEndpointRouteBuilder MapOptimizationApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/clusters/{id}/optimize", Optimize).WithTags("optimization").RequireAuthorization(AuthServices.ClientPolicy)
            .Produces<OptimizeAccepted>(StatusCodes.Status202Accepted);
        app.MapGet("/api/clusters/{id}/jobs", ListJobs).WithTags("optimization").RequireAuthorization(AuthServices.ClientPolicy)
            .Produces<ClusterJobs>(StatusCodes.Status200OK);
        app.MapGet("/api/jobs/{jobId}", GetJob).WithTags("optimization").RequireAuthorization(AuthServices.ClientPolicy).Produces<JobView>(StatusCodes.Status200OK);
        app.MapGet("/api/spot/regions/{region}/flags", Flags).WithTags("optimization").RequireAuthorization(AuthServices.ClientPolicy)
            .Produces<RegionFlags>(StatusCodes.Status200OK);
        return app;
    }

    public static async Task<IResult> Optimize(string id, ClaimsPrincipal user, IGrainFactory grains)
    {
        if (!Ids.TryNormalize(id, out var clusterId)) return Ids.Invalid("id");
        var result = await grains.GetGrain<IClusterGrain>(clusterId).StartOptimization(user.OrganizationId(), user.Actor(), JobTriggers.Manual);
        if (result is null) return Problems.NotFound("cluster");
        return result switch
        {
            { Started: { } started } => TypedResults.Accepted($"/api/jobs/{started.JobId}", new OptimizeAccepted(started.JobId, started.AlreadyRunning)),
            { Refusal: OptimizationRefusals.Gone } => Problems.Conflict(OptimizationRefusals.Gone, "Discovery no longer sees this cluster in its account."),
            { Refusal: OptimizationRefusals.Asleep } => Problems.Conflict(OptimizationRefusals.Asleep, "The cluster is hibernating; wake it (hibernation override) to optimize it."),
            { Refusal: OptimizationRefusals.AgentRevoked } => Problems.Conflict(OptimizationRefusals.AgentRevoked,
                "The cluster's agent token was revoked: nothing disrupts its nodes until it is connected again (POST /api/clusters/connect)."),
            _ => Problems.Conflict(OptimizationRefusals.NotManaged, "Connect the cluster's agent before optimizing it."),
        };
    }

    /// <summary>The cluster's recent jobs (scheduled and manual), newest first, as their current views.</summary>
    public static async Task<IResult> ListJobs(string id, ClaimsPrincipal user, IGrainFactory grains)
    {
        if (!Ids.TryNormalize(id, out var clusterId)) return Ids.Invalid("id");
        var organizationId = user.OrganizationId();
        if (await grains.GetGrain<IClusterGrain>(clusterId).GetRecentJobs(organizationId) is not { } ids) return Problems.NotFound("cluster");
        var jobs = new List<JobView>(ids.Count);
        foreach (var jobId in ids)
        {
            if (await grains.GetGrain<IOptimizationJobGrain>(jobId).Get(organizationId) is { } view) jobs.Add(view with { Actions = [] });
        }

        return TypedResults.Ok(new ClusterJobs(clusterId, jobs));
    }

    public static async Task<IResult> GetJob(string jobId, ClaimsPrincipal user, IGrainFactory grains)
    {
        if (!Ids.TryNormalize(jobId, out var id)) return Ids.Invalid("job_id");
        var view = await grains.GetGrain<IOptimizationJobGrain>(id).Get(user.OrganizationId());
        return view is null ? Problems.NotFound("job") : TypedResults.Ok(view);
    }

    /// <summary>
    /// Flags carry no tenant: the hive mind shares the risk and why (a reason and counts), never who reported it. The
    /// caller's own board (pools only its own unconfirmed reports flagged, for its own decisions) is its alone.
    /// </summary>
    public static async Task<IResult> Flags(string region, ClaimsPrincipal user, IGrainFactory grains)
    {
        if (!RegionName.IsValid(region)) return Problems.BadRequest("invalid_region", "The region must look like us-east-1.");
        var flags = await grains.GetGrain<IRiskBoardGrain>(region).GetFlags();
        var own = await grains.GetGrain<IRiskBoardGrain>(RiskBoardKeys.Own(region, HiveReporters.For(user.OrganizationId()))).GetFlags();
        return TypedResults.Ok(new RegionFlags(region, flags, own));
    }

    /// <summary>Each job without its action log (GET /api/jobs/{id} has it).</summary>
    public sealed record ClusterJobs(string ClusterId, IReadOnlyList<JobView> Jobs);

    public sealed record OptimizeAccepted(string JobId, bool AlreadyRunning);

    /// <param name="Flags">Pools flagged for every tenant, each with its reason (aws_event, discovery_notice, distinct_tenants:N, price_jump:+P%).</param>
    /// <param name="OwnFlags">Pools only the caller's own uncorroborated reports flagged: its decisions avoid them, nobody else's do.</param>
    public sealed record RegionFlags(string Region, IReadOnlyList<PoolFlag> Flags, IReadOnlyList<PoolFlag> OwnFlags);
}
