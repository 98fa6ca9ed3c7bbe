using Orleans;
using SpotOptimizer.Cloud;
using SpotOptimizer.Grains.Interfaces.Accounts;
using SpotOptimizer.Grains.Interfaces.Clusters;

namespace SpotOptimizer.Grains.Execution;

/// <summary>What acting on one cluster needs, for every grain that acts on one (the optimize job, Lab experiments).</summary>
public static class ClusterAccess
{
    /// <summary>
    /// The cluster's optimization inputs and a session on its account's role; null when the cluster is not the
    /// organization's managed cluster, or its AWS account is not linked (or no longer the organization's).
    /// </summary>
    public static async Task<(OptimizationInputs Inputs, CloudSession Session)?> OpenClusterAsync(
        this IGrainFactory grains, CloudSessions sessions, string organizationId, string clusterId)
    {
        var inputs = await grains.GetGrain<IClusterGrain>(clusterId).GetOptimizationInputs(organizationId);
        var access = inputs is null ? null : await grains.GetGrain<IAccountGrain>(inputs.AccountId).GetCloudAccess(organizationId);
        if (inputs is null || access is null) return null;
        return (inputs, await sessions.GetAsync(new RoleRequest(access.RoleArn, access.ExternalId, access.SessionName), CancellationToken.None));
    }

    /// <summary>The executor's scope on the opened cluster, acting as <paramref name="actor"/>.</summary>
    public static ExecutionScope Scope(OptimizationInputs inputs, CloudSession session, string organizationId, string actor, bool dryRun) =>
        new(organizationId, actor, inputs.ClusterId, inputs.Region, inputs.ClusterName, session, dryRun, inputs.Policy.ExcludedNamespaces);
}
