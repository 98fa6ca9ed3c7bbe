namespace SpotOptimizer.Cloud.Simulation;

/// <summary>
/// Cordon and drain as the agent would do it: evicted pods reschedule onto the cluster's other ready, uncordoned
/// nodes (fewest pods first). A PodDisruptionBudget refusal is modelled by injecting
/// <see cref="CloudErrorCodes.DisruptionBudget"/> on <see cref="CloudActions.DrainNode"/>.
/// </summary>
public sealed partial class SimulatedCloud
{
    private async Task<DrainResult> DrainAsync(Scope scope, string clusterName, string instanceId, DrainRequest request, CancellationToken cancellationToken)
    {
        FindCluster(scope, clusterName);
        var node = scope.Region.NodesOf(clusterName).FirstOrDefault(n => n.Instance.InstanceId == instanceId && Observe(n, scope.Now)?.IsActive == true)
            ?? throw new CloudException(CloudErrorCodes.NotFound, $"Node {instanceId} is not a live node of {clusterName}.");
        var excluded = node.WorkloadNamespaces.Intersect(request.ExcludedNamespaces, StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (excluded.Count > 0 && node.PodCount > 0)
        {
            throw new CloudException(CloudErrorCodes.ExcludedNamespace,
                $"Node {instanceId} runs pods of excluded namespace(s) {string.Join(", ", excluded)}; it is not drained.");
        }

        if (request.DryRun) return new DrainResult(instanceId, node.PodCount, DryRun: true);
        var evicted = node.PodCount;
        await UpdateAsync(world => world.UpdateRegion(scope.Account.AccountId, scope.Region.Name, region =>
        {
            region = region.WithInstance(node with { PodCount = 0, Cordoned = true });
            var targets = region.NodesOf(clusterName)
                .Where(n => n.Instance.InstanceId != instanceId && !n.Cordoned && Observe(n, scope.Now)?.State == InstanceState.Running)
                .ToList();
            for (var pod = 0; pod < evicted && targets.Count > 0; pod++)
            {
                var target = targets.MinBy(n => n.PodCount)!;
                var moved = target with { PodCount = target.PodCount + 1 };
                targets[targets.IndexOf(target)] = moved;
                region = region.WithInstance(moved);
            }

            return region;
        }), cancellationToken);
        return new DrainResult(instanceId, evicted, DryRun: false);
    }

    private sealed class DrainView(SimulatedCloud cloud) : INodeDrain
    {
        public Task<DrainResult> DrainAsync(CloudSession session, string region, string clusterName, string instanceId, DrainRequest request,
            CancellationToken cancellationToken = default) =>
            cloud.RunAs(session, CloudActions.DrainNode, region, $"cluster={clusterName} node={instanceId} dryRun={request.DryRun}", cancellationToken,
                scope => cloud.DrainAsync(scope, clusterName, instanceId, request, cancellationToken));
    }
}
