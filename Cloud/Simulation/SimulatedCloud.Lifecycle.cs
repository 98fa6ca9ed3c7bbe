namespace SpotOptimizer.Cloud.Simulation;

/// <summary>Launching and terminating instances, Spot interruptions.</summary>
public sealed partial class SimulatedCloud
{
    public static readonly TimeSpan InterruptionWarning = TimeSpan.FromMinutes(2);

    /// <summary>
    /// AWS reclaims a Spot instance: a notice now, termination <see cref="InterruptionWarning"/> later; or, for a
    /// rebalance recommendation, only the notice. What the hive mind learns from.
    /// </summary>
    public InterruptionNotice InterruptSpotInstance(string accountId, string region, string instanceId, InterruptionKind kind = InterruptionKind.Interruption) =>
        Mutate((world, _) =>
        {
            var now = _time.GetUtcNow();
            var node = world.FindAccount(accountId)?.FindRegion(region)?.Instances.FirstOrDefault(n => n.Instance.InstanceId == instanceId);
            if (node is null || node.Instance.Lifecycle != InstanceLifecycle.Spot || node.TerminatedAt is not null)
                throw new CloudException(CloudErrorCodes.InvalidRequest, $"{instanceId} is not a live Spot instance in {accountId}/{region}.");
            var interruption = kind == InterruptionKind.Interruption;
            var notice = new InterruptionNotice(instanceId, node.Instance.InstanceType, node.Instance.AvailabilityZone, kind, now,
                interruption ? now + InterruptionWarning : null);
            return (world.UpdateRegion(accountId, region, r =>
            {
                var updated = r with { Notices = [.. r.Notices, notice] };
                return interruption ? updated.WithInstance(node with { TerminatedAt = now + InterruptionWarning }) : updated;
            }), notice);
        });

    private async Task<LaunchResult> LaunchAsync(Scope scope, LaunchRequest request, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(request.ClientToken) || request.ClientToken.Length > 64)
            throw new CloudException(CloudErrorCodes.InvalidRequest, "The client token must be 1–64 characters.");
        if (request.Count is < 1 or > 100) throw new CloudException(CloudErrorCodes.InvalidRequest, "Count must be 1–100.");
        if (!scope.Region.AvailabilityZones.Contains(request.AvailabilityZone))
            throw new CloudException(CloudErrorCodes.InvalidRequest, $"'{request.AvailabilityZone}' is not an availability zone of {scope.Region.Name}.");
        // What the market prices in the zone can be bought (a replayed file names types the catalog lacks); launching
        // needs no vCPU or memory figures, and a node's max pods falls back to a common default.
        if (InstanceCatalog.Find(request.InstanceType) is null
            && (PhysicalZone(scope.World, scope.Account.AccountId, scope.Region.Name, request.AvailabilityZone) is not { } priceZone
                || _prices.At(priceZone, request.InstanceType, scope.Now) is null))
        {
            throw new CloudException(CloudErrorCodes.InvalidRequest,
                $"Instance type '{request.InstanceType}' is neither in the simulator's catalog nor offered by its Spot market in {request.AvailabilityZone}.");
        }
        if (request.DryRun) return new LaunchResult([], DryRun: true);

        var key = $"{scope.Account.AccountId}/{scope.Region.Name}/{request.ClientToken}";
        var (world, ids) = await _store.UpdateAsync(snapshot =>
        {
            if (snapshot.Launches.TryGetValue(key, out var earlier))
            {
                return earlier.Request.SameAs(request)
                    ? (snapshot, (snapshot.World, earlier.InstanceIds))
                    : throw new CloudException(CloudErrorCodes.InvalidRequest, "The client token was used before with different parameters.") { ProviderCode = "IdempotentParameterMismatch" };
            }

            var random = snapshot.RandomForNextChange();
            var nodes = Enumerable.Range(0, request.Count)
                .Select(_ => DemoWorld.Node(random, scope.Region.Name, request.AvailabilityZone, request.InstanceType, request.Lifecycle, scope.Now, request.Tags, InstanceState.Pending))
                .ToList();
            var launch = new SimulatedLaunch(request, nodes.Select(n => n.Instance.InstanceId).ToList());
            var world = snapshot.World.UpdateRegion(scope.Account.AccountId, scope.Region.Name, r => nodes.Aggregate(r, (acc, n) => acc.WithInstance(n)));
            return (snapshot with { World = world, Launches = snapshot.Launches.SetItem(key, launch) }, (world, launch.InstanceIds));
        }, cancellationToken);
        var region = world.FindAccount(scope.Account.AccountId)!.FindRegion(scope.Region.Name)!;
        return new LaunchResult(ids.Select(id => Observe(region.Instances.First(n => n.Instance.InstanceId == id), _time.GetUtcNow())).OfType<Ec2Instance>().ToList(), DryRun: false);
    }

    private async Task<TerminateResult> TerminateAsync(Scope scope, IReadOnlyList<string> instanceIds, bool dryRun, CancellationToken cancellationToken)
    {
        var nodes = instanceIds.Select(id => scope.Region.Instances.FirstOrDefault(n => n.Instance.InstanceId == id)
            ?? throw new CloudException(CloudErrorCodes.NotFound, $"The instance ID '{id}' does not exist.") { ProviderCode = "InvalidInstanceID.NotFound" }).ToList();
        var changes = nodes.Select(n =>
        {
            var before = Observe(n, scope.Now)?.State ?? InstanceState.Terminated;
            return new InstanceStateChange(n.Instance.InstanceId, before, before == InstanceState.Terminated ? before : InstanceState.ShuttingDown);
        }).ToList();
        if (!dryRun)
        {
            await UpdateAsync(world => world.UpdateRegion(scope.Account.AccountId, scope.Region.Name, r =>
                nodes.Where(n => n.TerminatedAt is null || n.TerminatedAt > scope.Now).Aggregate(r, (acc, n) => acc.WithInstance(n with { TerminatedAt = scope.Now }))),
                cancellationToken);
        }

        return new TerminateResult(changes, dryRun);
    }

    private sealed class InstancesView(SimulatedCloud cloud) : IInstanceLifecycle
    {
        public Task<LaunchResult> RunInstancesAsync(CloudSession session, string region, LaunchRequest request, CancellationToken cancellationToken = default) =>
            cloud.RunAs(session, CloudActions.RunInstances, region,
                $"token={request.ClientToken} type={request.InstanceType} az={request.AvailabilityZone} lifecycle={request.Lifecycle} count={request.Count} dryRun={request.DryRun}",
                cancellationToken, scope => cloud.LaunchAsync(scope, request, cancellationToken));

        public Task<TerminateResult> TerminateInstancesAsync(CloudSession session, string region, IReadOnlyList<string> instanceIds, bool dryRun,
            CancellationToken cancellationToken = default) =>
            cloud.RunAs(session, CloudActions.TerminateInstances, region, $"ids={string.Join(',', instanceIds)} dryRun={dryRun}", cancellationToken,
                scope => cloud.TerminateAsync(scope, instanceIds, dryRun, cancellationToken));

        public Task<IReadOnlyList<InstanceStateChange>> StopInstancesAsync(CloudSession session, string region, IReadOnlyList<string> instanceIds, bool dryRun,
            CancellationToken cancellationToken = default) =>
            cloud.RunAs(session, CloudActions.StopInstances, region, $"ids={string.Join(',', instanceIds)} dryRun={dryRun}", cancellationToken,
                scope => cloud.StopAsync(scope, instanceIds, dryRun, cancellationToken));

        public Task<IReadOnlyList<InstanceStateChange>> StartInstancesAsync(CloudSession session, string region, IReadOnlyList<string> instanceIds, bool dryRun,
            CancellationToken cancellationToken = default) =>
            cloud.RunAs(session, CloudActions.StartInstances, region, $"ids={string.Join(',', instanceIds)} dryRun={dryRun}", cancellationToken,
                scope => cloud.StartAsync(scope, instanceIds, dryRun, cancellationToken));

        public Task<IReadOnlyList<InterruptionNotice>> GetInterruptionNoticesAsync(CloudSession session, string region, DateTimeOffset since,
            CancellationToken cancellationToken = default) =>
            cloud.RunAs<IReadOnlyList<InterruptionNotice>>(session, CloudActions.DescribeInterruptions, region, $"since={since:O}", cancellationToken,
                scope => scope.Region.Notices.Where(n => n.NoticeTime >= since).ToList());
    }
}
