namespace SpotOptimizer.Cloud.Simulation;

/// <summary>
/// Stopping and starting instances as EC2 does: a stopped instance keeps its id, zone and volumes; a started one boots
/// again (pending for the boot time, its launch time reset to the start, as EC2 reports it).
/// </summary>
public sealed partial class SimulatedCloud
{
    private async Task<IReadOnlyList<InstanceStateChange>> StopAsync(Scope scope, IReadOnlyList<string> instanceIds, bool dryRun, CancellationToken cancellationToken)
    {
        var changes = instanceIds.Select(id =>
        {
            var instance = Live(scope, id);
            // Every simulated Spot instance is one-time (the only kind the product launches), and EC2 stops none of those.
            if (instance.Lifecycle == InstanceLifecycle.Spot)
            {
                throw new CloudException(CloudErrorCodes.InvalidRequest, $"You can't stop the Spot Instance '{id}' because it is associated with a one-time Spot Instance request.")
                {
                    ProviderCode = "UnsupportedOperation",
                };
            }

            return InstanceTransitions.Stop(instance);
        }).ToList();
        if (!dryRun)
        {
            await ChangeAsync(scope, changes, InstanceState.Stopping,
                n => n with { Instance = n.Instance with { State = InstanceState.Stopping }, StoppingSince = scope.Now }, cancellationToken);
        }

        return changes;
    }

    private async Task<IReadOnlyList<InstanceStateChange>> StartAsync(Scope scope, IReadOnlyList<string> instanceIds, bool dryRun, CancellationToken cancellationToken)
    {
        var changes = instanceIds.Select(id => InstanceTransitions.Start(Live(scope, id))).ToList();
        if (!dryRun)
        {
            await ChangeAsync(scope, changes, InstanceState.Pending,
                n => n with { Instance = n.Instance with { State = InstanceState.Pending, LaunchTime = scope.Now }, StoppingSince = null }, cancellationToken);
        }

        return changes;
    }

    /// <summary>The instance as EC2 reports it now; one that does not exist (or has vanished after termination) is not found, as in EC2.</summary>
    private Ec2Instance Live(Scope scope, string instanceId) =>
        scope.Region.Instances.FirstOrDefault(n => n.Instance.InstanceId == instanceId) is { } node && Observe(node, scope.Now) is { } observed
            ? observed
            : throw new CloudException(CloudErrorCodes.NotFound, $"The instance ID '{instanceId}' does not exist.") { ProviderCode = "InvalidInstanceID.NotFound" };

    /// <summary>Applies <paramref name="change"/> to the instances whose state moves to <paramref name="to"/>, read again inside the update so no concurrent change is lost.</summary>
    private Task ChangeAsync(Scope scope, IReadOnlyList<InstanceStateChange> changes, InstanceState to, Func<SimulatedNode, SimulatedNode> change,
        CancellationToken cancellationToken)
    {
        var moving = changes.Where(c => c.Current == to && c.Previous != to).Select(c => c.InstanceId).ToHashSet(StringComparer.Ordinal);
        return moving.Count == 0
            ? Task.CompletedTask
            : UpdateAsync(world => world.UpdateRegion(scope.Account.AccountId, scope.Region.Name, r =>
                r.Instances.Where(n => moving.Contains(n.Instance.InstanceId)).Aggregate(r, (acc, n) => acc.WithInstance(change(n)))), cancellationToken);
    }
}
