using System.Security.Claims;
using SpotOptimizer.Api.Auth;
using SpotOptimizer.Api.Http;
using SpotOptimizer.Grains.Interfaces.Clusters;
using Orleans;

namespace SpotOptimizer.Api.Apis;

/// <summary>
/// The cluster's headroom: spare capacity kept free so an interrupted node's pods or a burst schedule at once. The body
/// replaces the headroom whole (every field is required: a missing one would be ambiguous between "keep" and "zero");
/// all zero removes it.
/// </summary>
public static partial class PoliciesApi
{
    public static async Task<IResult> PatchHeadroom(string clusterId, HttpRequest request, ClaimsPrincipal user, IGrainFactory grains, CancellationToken cancellationToken)
    {
        if (!Ids.TryNormalize(clusterId, out var id)) return Ids.Invalid("cluster_id");
        var (body, problem) = await JsonBody.ReadAsync<HeadroomRequest>(request, cancellationToken);
        if (problem is not null) return problem;
        var headroom = new HeadroomPolicy(body!.CpuMillicores!.Value, body.MemoryMib!.Value, body.ShareOfRequests!.Value);
        var result = await grains.GetGrain<IClusterGrain>(id).UpdatePolicy(user.OrganizationId(), user.Actor(), new PolicyPatch(Headroom: headroom));
        return result is null ? Problems.NotFound("cluster") : TypedResults.Ok(result.View);
    }

    public sealed record HeadroomRequest(int? CpuMillicores, int? MemoryMib, double? ShareOfRequests) : IValidatable
    {
        public void Validate(ValidationErrors errors)
        {
            if (CpuMillicores is null or < 0 or > HeadroomPolicy.MaxCpuMillicores)
                errors.Add("cpu_millicores", $"must be a whole number of millicores from 0 to {HeadroomPolicy.MaxCpuMillicores:D}.");
            if (MemoryMib is null or < 0 or > HeadroomPolicy.MaxMemoryMiB)
                errors.Add("memory_mib", $"must be a whole number of MiB from 0 to {HeadroomPolicy.MaxMemoryMiB:D}.");
            if (ShareOfRequests is not { } share || !(share >= 0 && share <= HeadroomPolicy.MaxShareOfRequests))
                errors.Add("share_of_requests", "must be a share of all pods' requests from 0 to 0.5.");
        }
    }
}
