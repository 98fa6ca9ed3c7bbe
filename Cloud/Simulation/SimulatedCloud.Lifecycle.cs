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
        Mutate((world, random) =>
        {
            var now = _time.GetUtcNow();
            var node = world.FindAccount(accountId)?.FindRegion(region)?.Instances.FirstOrDefault(n => n.Instance.InstanceId == instanceId);
            if (node is null || node.Instance.Lifecycle != InstanceLifecycle.Spot || node.TerminatedAt is not null)
                throw new CloudException(CloudErrorCodes.InvalidRequest, $"{instanceId} is not a live Spot instance in {accountId}/{region}.");
            var interruption = kind == InterruptionKind.Interruption;
            var notice = new InterruptionNotice(instanceId, node.Instance.InstanceType, node.Instance.AvailabilityZone, kind, now,
                interruption ? now + InterruptionWarning : null);
            var next = world.UpdateRegion(accountId, region, r =>
            {
                var updated = r with { Notices = [.. r.Notices, notice] };
                return interruption ? updated.WithInstance(node with { TerminatedAt = now + InterruptionWarning }) : updated;
            });
            // What the customer's EventBridge rule forwards: the warning (or recommendation) now and, for an interruption,
            // the instance shutting down when the warning runs out.
            next = interruption
                ? EmitEvent(EmitEvent(next, random, accountId, region, InstanceEventKind.InterruptionWarning, instanceId, now, instanceAction: "terminate"),
                    random, accountId, region, InstanceEventKind.StateChange, instanceId, now + InterruptionWarning, state: "shutting-down")
                : EmitEvent(next, random, accountId, region, InstanceEventKind.RebalanceRecommendation, instanceId, now);
            return (next, notice);
        });

    private async Task<LaunchResult> LaunchAsync(Scope scope, LaunchRequest request, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(request.ClientToken) || request.ClientToken.Length > 64)
            throw new CloudException(CloudErrorCodes.InvalidRequest, "The client token must be 1–64 characters.");
        if (request.Count is < 1 or > 100) throw new CloudException(CloudErrorCodes.InvalidRequest, "Count must be 1–100.");
        CheckLaunchTemplate(scope, request);
        var pool = ChoosePool(scope, request);
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
                .Select(_ => DemoWorld.Node(random, scope.Region.Name, pool.AvailabilityZone, pool.InstanceType, request.Lifecycle, scope.Now, request.Tags, InstanceState.Pending))
                .ToList();
            var launch = new SimulatedLaunch(request, nodes.Select(n => n.Instance.InstanceId).ToList());
            var world = snapshot.World.UpdateRegion(scope.Account.AccountId, scope.Region.Name, r => nodes.Aggregate(r, (acc, n) => acc.WithInstance(n)));
            return (snapshot with { World = world, Launches = snapshot.Launches.SetItem(key, launch) }, (world, launch.InstanceIds));
        }, cancellationToken);
        var region = world.FindAccount(scope.Account.AccountId)!.FindRegion(scope.Region.Name)!;
        return new LaunchResult(ids.Select(id => Observe(region.Instances.First(n => n.Instance.InstanceId == id), _time.GetUtcNow())).OfType<Ec2Instance>().ToList(), DryRun: false);
    }

    /// <summary>
    /// A launch template (<see cref="LaunchRequest.LaunchTemplate"/>) must be one of the region's node groups' (as EKS
    /// made it), as AWS refuses a template it does not have; a launch without one is served (the simulator needs no
    /// image). A bare <see cref="LaunchRequest.LaunchTemplateName"/> (what the simulator's AWS wire passes on) is not checked.
    /// </summary>
    private static void CheckLaunchTemplate(Scope scope, LaunchRequest request)
    {
        if (request.LaunchTemplate is not { } wanted) return;
        // A group's custom template and the one EKS made (on its Auto Scaling group) both exist.
        var found = scope.Region.Clusters
            .SelectMany(c => c.Nodegroups.SelectMany(n => new[] { n.LaunchTemplate, SimulatedNetwork.LaunchTemplate(scope.Account.AccountId, c.Cluster.Name, n.Name) }))
            .OfType<LaunchTemplateRef>()
            .Any(t => string.IsNullOrEmpty(wanted.Id) ? t.Name == wanted.Name : t.Id == wanted.Id);
        if (!found)
        {
            throw new CloudException(CloudErrorCodes.InvalidRequest,
                $"The launch template '{(string.IsNullOrEmpty(wanted.Id) ? wanted.Name : wanted.Id)}' is not one of the node groups' templates in {scope.Account.AccountId}/{scope.Region.Name}.")
            {
                ProviderCode = "InvalidLaunchTemplateId.NotFound",
            };
        }
    }

    /// <summary>
    /// The pool the launch goes to, roughly as CreateFleet's price-capacity-optimized (Spot) or lowest-price (On-Demand)
    /// would choose: among the request's pools in the account's zones (with a subnet there, when the request names
    /// subnets) whose type can be bought, the cheapest now. A request none of whose pools qualifies fails with the first
    /// pool's reason.
    /// </summary>
    private SpotPool ChoosePool(Scope scope, LaunchRequest request)
    {
        var candidates = request.AllPools.Select(p => (Pool: p, Refusal: Refusal(scope, request, p))).ToList();
        var usable = candidates.Where(c => c.Refusal is null).Select(c => c.Pool).ToList();
        if (usable.Count == 0) throw candidates[0].Refusal!;
        return usable.OrderBy(p => PoolPrice(scope, request, p) ?? decimal.MaxValue).First();
    }

    /// <summary>Why the pool cannot serve the launch, or null when it can.</summary>
    private CloudException? Refusal(Scope scope, LaunchRequest request, SpotPool pool)
    {
        if (!scope.Region.AvailabilityZones.Contains(pool.AvailabilityZone))
            return new CloudException(CloudErrorCodes.InvalidRequest, $"'{pool.AvailabilityZone}' is not an availability zone of {scope.Region.Name}.");
        if (request.SubnetIds.Count > 0 && !request.SubnetIds.ContainsKey(pool.AvailabilityZone))
            return new CloudException(CloudErrorCodes.InvalidRequest, $"The request names no subnet in {pool.AvailabilityZone}.");
        // What the market prices in the zone can be bought (a replayed file names types the catalog lacks); launching
        // needs no vCPU or memory figures, and a node's max pods falls back to a common default.
        if (InstanceCatalog.Find(pool.InstanceType) is null && MarketPrice(scope, pool) is null)
        {
            return new CloudException(CloudErrorCodes.InvalidRequest,
                $"Instance type '{pool.InstanceType}' is neither in the simulator's catalog nor offered by its Spot market in {pool.AvailabilityZone}.");
        }

        return null;
    }

    /// <summary>The pool's price now: its Spot price for a Spot launch, the type's On-Demand price otherwise; null when unknown.</summary>
    private decimal? PoolPrice(Scope scope, LaunchRequest request, SpotPool pool) =>
        request.Lifecycle == InstanceLifecycle.Spot
            ? MarketPrice(scope, pool)?.PricePerHour
            : InstanceCatalog.Find(pool.InstanceType)?.OnDemandPrice;

    /// <summary>The market's price now of the pool's physical zone: the account's zone name is priced through its zone ID.</summary>
    private SpotPrice? MarketPrice(Scope scope, SpotPool pool) =>
        PhysicalZone(scope.World, scope.Account.AccountId, scope.Region.Name, pool.AvailabilityZone) is { } priceZone
            ? _prices.At(priceZone, pool.InstanceType, scope.Now)
            : null;

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
            var terminating = nodes.Where(n => n.TerminatedAt is null || n.TerminatedAt > scope.Now).ToList();
            await MutateAsync((world, random) =>
            {
                var next = world.UpdateRegion(scope.Account.AccountId, scope.Region.Name, r =>
                    terminating.Aggregate(r, (acc, n) => acc.WithInstance(n with { TerminatedAt = scope.Now })));
                return (terminating.Aggregate(next, (w, n) => EmitEvent(w, random, scope.Account.AccountId, scope.Region.Name, InstanceEventKind.StateChange,
                    n.Instance.InstanceId, scope.Now, state: "shutting-down")), 0);
            }, cancellationToken);
        }

        return new TerminateResult(changes, dryRun);
    }

    private sealed class InstancesView(SimulatedCloud cloud) : IInstanceLifecycle
    {
        public Task<LaunchResult> RunInstancesAsync(CloudSession session, string region, LaunchRequest request, CancellationToken cancellationToken = default) =>
            cloud.RunAs(session, CloudActions.RunInstances, region,
                $"token={request.ClientToken} pools={string.Join(',', request.AllPools.Select(p => $"{p.InstanceType}@{p.AvailabilityZone}"))} lifecycle={request.Lifecycle} count={request.Count} template={request.LaunchTemplate?.Id ?? request.LaunchTemplateName ?? "-"} " +
                $"subnets={string.Join(',', request.SubnetIds.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => $"{s.Key}:{s.Value}"))} dryRun={request.DryRun}",
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
