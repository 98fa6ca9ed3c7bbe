using System.Security.Claims;
using System.Text.RegularExpressions;
using SpotOptimizer.Api.Auth;
using SpotOptimizer.Api.Http;
using SpotOptimizer.Grains.Interfaces.Clusters;
using Orleans;

namespace SpotOptimizer.Api.Apis;

/// <summary>Per-cluster optimization policy. Each change is recorded before/after and bumps the version agents pick up.</summary>
public static partial class PoliciesApi
{
    public static IEndpointRouteBuilder MapPoliciesApi(this IEndpointRouteBuilder app)
    {
        var policies = app.MapGroup("/api/policies").WithTags("policies").RequireAuthorization(AuthServices.ClientPolicy);
        policies.MapGet("/{clusterId}", Get).Produces<PolicyView>(StatusCodes.Status200OK);
        policies.MapPatch("/karpenter", (HttpRequest r, ClaimsPrincipal u, IGrainFactory g, CancellationToken c) => Patch<KarpenterRequest>(r, u, g, c))
            .AcceptsJson<KarpenterRequest>().Produces<PolicyView>(StatusCodes.Status200OK);
        policies.MapPatch("/binpack", (HttpRequest r, ClaimsPrincipal u, IGrainFactory g, CancellationToken c) => Patch<BinpackRequest>(r, u, g, c))
            .AcceptsJson<BinpackRequest>().Produces<PolicyView>(StatusCodes.Status200OK);
        policies.MapPatch("/fallback", (HttpRequest r, ClaimsPrincipal u, IGrainFactory g, CancellationToken c) => Patch<FallbackRequest>(r, u, g, c))
            .AcceptsJson<FallbackRequest>().Produces<PolicyView>(StatusCodes.Status200OK);
        policies.MapPatch("/dry-run", (HttpRequest r, ClaimsPrincipal u, IGrainFactory g, CancellationToken c) => Patch<DryRunRequest>(r, u, g, c))
            .AcceptsJson<DryRunRequest>().Produces<PolicyView>(StatusCodes.Status200OK);
        policies.MapPatch("/exclusions", (HttpRequest r, ClaimsPrincipal u, IGrainFactory g, CancellationToken c) => Patch<ExclusionsRequest>(r, u, g, c))
            .AcceptsJson<ExclusionsRequest>().Produces<PolicyView>(StatusCodes.Status200OK);
        policies.MapPatch("/headroom", (HttpRequest r, ClaimsPrincipal u, IGrainFactory g, CancellationToken c) => Patch<HeadroomRequest>(r, u, g, c))
            .AcceptsJson<HeadroomRequest>().Produces<PolicyView>(StatusCodes.Status200OK);
        return app;
    }

    public static async Task<IResult> Get(string clusterId, ClaimsPrincipal user, IGrainFactory grains)
    {
        if (!Ids.TryNormalize(clusterId, out var id)) return Ids.Invalid("cluster_id");
        var view = await grains.GetGrain<IClusterGrain>(id).GetPolicy(user.OrganizationId());
        return view is null ? Problems.NotFound("cluster") : TypedResults.Ok(view);
    }

    private static async Task<IResult> Patch<T>(HttpRequest request, ClaimsPrincipal user, IGrainFactory grains, CancellationToken cancellationToken)
        where T : class, IPolicyRequest
    {
        var (body, problem) = await JsonBody.ReadAsync<T>(request, cancellationToken);
        if (problem is not null) return problem;
        Ids.TryNormalize(body!.ClusterId, out var clusterId);
        var result = await grains.GetGrain<IClusterGrain>(clusterId).UpdatePolicy(user.OrganizationId(), user.Actor(), body.ToPatch());
        if (result is null) return Problems.NotFound("cluster");
        return result.Error is { } error
            ? Problems.Unprocessable(error, "The policy names a template this organization does not have.")
            : TypedResults.Ok(result.View);
    }

    public interface IPolicyRequest : IValidatable
    {
        string? ClusterId { get; }

        PolicyPatch ToPatch();
    }

    public sealed record KarpenterRequest(string? ClusterId, bool? Enabled, string? Strategy, string? TemplateId) : IPolicyRequest
    {
        public PolicyPatch ToPatch() => new(KarpenterEnabled: Enabled, KarpenterStrategy: Strategy, TemplateId: TemplateId is null ? null : Normalized(TemplateId));

        public void Validate(ValidationErrors errors)
        {
            errors.RequiredId("cluster_id", ClusterId);
            if (Enabled is null) errors.Add("enabled", "is required.");
            if (Strategy is not null && !ClusterPolicy.Strategies.Contains(Strategy)) errors.Add("strategy", $"must be one of {string.Join(", ", ClusterPolicy.Strategies)}.");
            if (TemplateId is not null && !Ids.TryNormalize(TemplateId, out _)) errors.Add("template_id", "must be a UUID.");
        }
    }

    public sealed record BinpackRequest(string? ClusterId, int? Aggressiveness) : IPolicyRequest
    {
        public PolicyPatch ToPatch() => new(BinpackAggressiveness: Aggressiveness);

        public void Validate(ValidationErrors errors)
        {
            errors.RequiredId("cluster_id", ClusterId);
            if (Aggressiveness is null or < 20 or > 80) errors.Add("aggressiveness", "must be a whole number from 20 (conservative) to 80 (aggressive).");
        }
    }

    public sealed record FallbackRequest(string? ClusterId, bool? Enabled) : IPolicyRequest
    {
        public PolicyPatch ToPatch() => new(OnDemandFallback: Enabled);

        public void Validate(ValidationErrors errors)
        {
            errors.RequiredId("cluster_id", ClusterId);
            if (Enabled is null) errors.Add("enabled", "is required.");
        }
    }

    /// <summary>Per-cluster dry run: the optimizer plans, logs and audits every action but sends none.</summary>
    public sealed record DryRunRequest(string? ClusterId, bool? Enabled) : IPolicyRequest
    {
        public PolicyPatch ToPatch() => new(DryRun: Enabled);

        public void Validate(ValidationErrors errors)
        {
            errors.RequiredId("cluster_id", ClusterId);
            if (Enabled is null) errors.Add("enabled", "is required.");
        }
    }

    public sealed partial record ExclusionsRequest(string? ClusterId, List<string>? Namespaces) : IPolicyRequest
    {
        public PolicyPatch ToPatch() => new(ExcludedNamespaces: Namespaces);

        public void Validate(ValidationErrors errors)
        {
            errors.RequiredId("cluster_id", ClusterId);
            if (Namespaces is null || Namespaces.Count > 200) errors.Add("namespaces", "must be a list of at most 200 namespaces.");
            foreach (var bad in Namespaces?.Where(n => n is null || n.Length > 63 || !Dns1123Label().IsMatch(n)) ?? [])
            {
                errors.Add("namespaces", $"'{bad}' is not a Kubernetes namespace name (DNS-1123 label: lower-case letters, digits and '-', at most 63).");
            }
        }

        [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
        private static partial Regex Dns1123Label();
    }

    private static string Normalized(string id) => Ids.TryNormalize(id, out var normalized) ? normalized : id;
}
