using SpotOptimizer.Api.Http;
using SpotOptimizer.Grains.Interfaces.Clusters;

namespace SpotOptimizer.Api.Apis;

/// <summary>
/// The cluster's headroom: spare capacity kept free so an interrupted node's pods or a burst schedule at once. The body
/// replaces the headroom whole (every field is required: a missing one would be ambiguous between "keep" and "zero");
/// all zero removes it.
/// </summary>
public static partial class PoliciesApi
{
    public sealed record HeadroomRequest(string? ClusterId, int? CpuMillicores, int? MemoryMib, double? ShareOfRequests) : IPolicyRequest
    {
        public PolicyPatch ToPatch() => new(Headroom: new HeadroomPolicy(CpuMillicores!.Value, MemoryMib!.Value, ShareOfRequests!.Value));

        public void Validate(ValidationErrors errors)
        {
            errors.RequiredId("cluster_id", ClusterId);
            if (CpuMillicores is null or < 0 or > HeadroomPolicy.MaxCpuMillicores)
                errors.Add("cpu_millicores", $"must be a whole number of millicores from 0 to {HeadroomPolicy.MaxCpuMillicores:D}.");
            if (MemoryMib is null or < 0 or > HeadroomPolicy.MaxMemoryMiB)
                errors.Add("memory_mib", $"must be a whole number of MiB from 0 to {HeadroomPolicy.MaxMemoryMiB:D}.");
            if (ShareOfRequests is not { } share || !(share >= 0 && share <= HeadroomPolicy.MaxShareOfRequests))
                errors.Add("share_of_requests", "must be a share of all pods' requests from 0 to 0.5.");
        }
    }
}
