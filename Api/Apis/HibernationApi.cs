using System.Security.Claims;
using SpotOptimizer.Api.Auth;
using SpotOptimizer.Api.Http;
using SpotOptimizer.Governance;
using SpotOptimizer.Grains.Interfaces.Clusters;
using Orleans;

namespace SpotOptimizer.Api.Apis;

/// <summary>Weekly sleep/wake schedules: 168 hourly slots in the cluster's time zone, pre-warm, and manual wake-ups.</summary>
public static class HibernationApi
{
    public static IEndpointRouteBuilder MapHibernationApi(this IEndpointRouteBuilder app)
    {
        var hibernation = app.MapGroup("/api/hibernation").WithTags("hibernation").RequireAuthorization(AuthServices.ClientPolicy);
        hibernation.MapGet("/{clusterId}", Get).Produces<HibernationView>(StatusCodes.Status200OK);
        hibernation.MapPost("/schedule", (HttpRequest r, ClaimsPrincipal u, IGrainFactory g, CancellationToken c) => Configure<ScheduleRequest>(r, u, g, c))
            .AcceptsJson<ScheduleRequest>().Produces<HibernationView>(StatusCodes.Status200OK);
        hibernation.MapPatch("/tz", (HttpRequest r, ClaimsPrincipal u, IGrainFactory g, CancellationToken c) => Configure<TimeZoneRequest>(r, u, g, c))
            .AcceptsJson<TimeZoneRequest>().Produces<HibernationView>(StatusCodes.Status200OK);
        hibernation.MapPatch("/prewarm", (HttpRequest r, ClaimsPrincipal u, IGrainFactory g, CancellationToken c) => Configure<PrewarmRequest>(r, u, g, c))
            .AcceptsJson<PrewarmRequest>().Produces<HibernationView>(StatusCodes.Status200OK);
        hibernation.MapPost("/override", (HttpRequest r, ClaimsPrincipal u, IGrainFactory g, CancellationToken c) => Configure<OverrideRequest>(r, u, g, c))
            .AcceptsJson<OverrideRequest>().Produces<HibernationView>(StatusCodes.Status200OK);
        return app;
    }

    public static async Task<IResult> Get(string clusterId, ClaimsPrincipal user, IGrainFactory grains)
    {
        if (!Ids.TryNormalize(clusterId, out var id)) return Ids.Invalid("cluster_id");
        var view = await grains.GetGrain<IClusterGrain>(id).GetHibernation(user.OrganizationId());
        return view is null ? Problems.NotFound("cluster") : TypedResults.Ok(view);
    }

    private static async Task<IResult> Configure<T>(HttpRequest request, ClaimsPrincipal user, IGrainFactory grains, CancellationToken cancellationToken)
        where T : class, IHibernationRequest
    {
        var (body, problem) = await JsonBody.ReadAsync<T>(request, cancellationToken);
        if (problem is not null) return problem;
        Ids.TryNormalize(body!.ClusterId, out var clusterId);
        var view = await grains.GetGrain<IClusterGrain>(clusterId).ConfigureHibernation(user.OrganizationId(), user.Actor(), body.ToPatch());
        return view is null ? Problems.NotFound("cluster") : TypedResults.Ok(view);
    }

    public interface IHibernationRequest : IValidatable
    {
        string? ClusterId { get; }

        HibernationPatch ToPatch();
    }

    public sealed record ScheduleRequest(string? ClusterId, List<int>? ScheduleMatrix) : IHibernationRequest
    {
        public HibernationPatch ToPatch() => new(ScheduleMatrix: ScheduleMatrix);

        public void Validate(ValidationErrors errors)
        {
            errors.RequiredId("cluster_id", ClusterId);
            foreach (var problem in WeeklySchedule.Problems(ScheduleMatrix)) errors.Add("schedule_matrix", problem);
        }
    }

    public sealed record TimeZoneRequest(string? ClusterId, string? Timezone) : IHibernationRequest
    {
        public HibernationPatch ToPatch() => new(TimeZone: Timezone);

        public void Validate(ValidationErrors errors)
        {
            errors.RequiredId("cluster_id", ClusterId);
            if (errors.Required("timezone", Timezone) && (!TimeZoneInfo.TryFindSystemTimeZoneById(Timezone!, out var zone) || !zone.HasIanaId && Timezone != "UTC"))
            {
                errors.Add("timezone", $"'{Timezone}' is not an IANA time zone (e.g. Europe/Berlin, America/New_York).");
            }
        }
    }

    public sealed record PrewarmRequest(string? ClusterId, bool? Enabled) : IHibernationRequest
    {
        public HibernationPatch ToPatch() => new(Prewarm: Enabled);

        public void Validate(ValidationErrors errors)
        {
            errors.RequiredId("cluster_id", ClusterId);
            if (Enabled is null) errors.Add("enabled", "is required.");
        }
    }

    public sealed record OverrideRequest(string? ClusterId, int? DurationMinutes) : IHibernationRequest
    {
        public HibernationPatch ToPatch() => new(OverrideMinutes: DurationMinutes);

        public void Validate(ValidationErrors errors)
        {
            errors.RequiredId("cluster_id", ClusterId);
            if (DurationMinutes is null or < 1 or > 24 * 60) errors.Add("duration_minutes", "must be a whole number of minutes from 1 to 1440.");
        }
    }
}
