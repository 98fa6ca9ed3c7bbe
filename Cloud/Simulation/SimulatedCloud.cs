using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace SpotOptimizer.Cloud.Simulation;

/// <summary>
/// The cloud of the embedded default and of tests: production code, deterministic by the world's seed. It serves
/// every <see cref="ICloudProvider"/> concern from a <see cref="SimulatedWorld"/>, enforces the assumed role's
/// trust (External ID) and permissions like IAM would, records every call and fails on demand.
/// What it remembers lives in an <see cref="ISimulatedWorldStore"/>, so processes sharing a store are one cloud:
/// calls read an immutable snapshot, changes go through the store atomically. The call log and injected faults stay in
/// this process (they instrument its client, not the cloud), and the market is a function of the seed and the clock.
/// </summary>
public sealed partial class SimulatedCloud : ICloudProvider
{
    public const string DefaultRoleName = "SpotOptimizerRole";

    /// <summary>Operation name of the permission check in the call log (it needs no permission itself).</summary>
    public const string CheckPermissionsOperation = "cloud:CheckPermissions";

    private readonly ISimulatedWorldStore _store;
    private readonly TimeProvider _time;
    private readonly SimulatedCloudOptions _options;
    private readonly CallLog _calls;
    private readonly FaultInjector _faults;
    private readonly FaultInjector _lostAnswers;
    private readonly ISpotPriceSource _prices;

    /// <summary>A cloud whose world lives in this process only.</summary>
    public SimulatedCloud(SimulatedWorld world, TimeProvider? timeProvider = null, SimulatedCloudOptions? options = null)
        : this(new InMemorySimulatedWorldStore(world), timeProvider, options)
    {
    }

    /// <summary>A cloud whose world lives in <paramref name="store"/>, shared with every other process using it.</summary>
    public SimulatedCloud(ISimulatedWorldStore store, TimeProvider? timeProvider = null, SimulatedCloudOptions? options = null)
    {
        _store = store;
        _time = timeProvider ?? TimeProvider.System;
        _options = options ?? new SimulatedCloudOptions();
        _calls = new CallLog(_options.CallLogCapacity);
        _faults = new FaultInjector(store.Seed);
        _lostAnswers = new FaultInjector(store.Seed + 1);
        _prices = _options.PriceHistoryFile is { } history
            ? ReplayedSpotPrices.Load(history, store.Seed, _options.PriceHistoryStart)
            : new SpotPriceModel(store.Seed);
        Permissions = new PermissionsView(this);
        Ec2 = new Ec2View(this);
        Eks = new EksView(this);
        SpotMarket = new SpotMarketView(this);
        Instances = new InstancesView(this);
        AutoScaling = new AutoScalingView(this);
        Volumes = new VolumesView(this);
        Nodes = new DrainView(this);
        Events = new EventsView(this);
    }

    /// <summary>The current world, an immutable snapshot, with every process's changes.</summary>
    public SimulatedWorld World => Wait(_store.ReadAsync).World;

    /// <summary>The most recent calls, oldest first.</summary>
    public IReadOnlyList<CloudCall> Calls => _calls.Snapshot();

    public ICloudPermissions Permissions { get; }

    public IEc2Inventory Ec2 { get; }

    public IEksClusters Eks { get; }

    public ISpotMarket SpotMarket { get; }

    public IInstanceLifecycle Instances { get; }

    public IAutoScaling AutoScaling { get; }

    public IVolumes Volumes { get; }

    public INodeDrain Nodes { get; }

    public IInstanceEvents Events { get; }

    public void ClearCalls() => _calls.Clear();

    /// <summary>Fails the next <paramref name="times"/> calls of <paramref name="operation"/> (or <see cref="CloudActions.Any"/>).</summary>
    public void InjectFault(string operation, CloudException error, int times = 1, string? accountId = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(times, 1);
        _faults.Add(operation, error, times, 0, accountId);
    }

    /// <summary>
    /// The next <paramref name="times"/> calls of <paramref name="operation"/> take effect, then fail with
    /// <paramref name="error"/>: the answer was lost (a timeout, a dropped connection) after the cloud acted.
    /// </summary>
    public void InjectLostAnswer(string operation, CloudException error, int times = 1, string? accountId = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(times, 1);
        _lostAnswers.Add(operation, error, times, 0, accountId);
    }

    /// <summary>Fails each call of <paramref name="operation"/> with <paramref name="probability"/>, drawn from the world's seed.</summary>
    public void InjectFault(string operation, CloudException error, double probability, string? accountId = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(probability, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(probability, 1);
        _faults.Add(operation, error, null, probability, accountId);
    }

    /// <summary>
    /// Makes the next <paramref name="times"/> calls of <paramref name="operation"/> throw a plain exception, as a bug in a
    /// provider library would: what the platform shows then must not be that exception's text.
    /// </summary>
    public void InjectCrash(string operation, string message, int times = 1, string? accountId = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(times, 1);
        _faults.AddCrash(operation, message, times, accountId);
    }

    public void ClearFaults()
    {
        _faults.Clear();
        _lostAnswers.Clear();
    }

    /// <summary>Changes the world atomically; concurrent calls see the old or the new world, never a mix.</summary>
    public void Update(Func<SimulatedWorld, SimulatedWorld> change) => Mutate((world, _) => (change(world), 0));

    /// <summary>Adds a generated cluster (node groups and running nodes) drawn from the world's seeded sequence.</summary>
    public SimulatedCluster AddDemoCluster(string accountId, string region, string clusterName) =>
        Mutate((world, random) =>
        {
            var zones = world.FindAccount(accountId)?.FindRegion(region)?.AvailabilityZones ?? SimulatedRegion.Empty(region).AvailabilityZones;
            var (cluster, nodes) = DemoWorld.Cluster(random, accountId, region, zones, clusterName, _time.GetUtcNow());
            return (AddCluster(world, accountId, cluster, nodes), cluster);
        });

    public void AddCluster(string accountId, SimulatedCluster cluster, IEnumerable<SimulatedNode>? nodes = null) =>
        Update(world => AddCluster(world, accountId, cluster, nodes ?? []));

    /// <summary>Removes the cluster and its nodes, as deleting it in EKS would.</summary>
    public bool RemoveCluster(string accountId, string region, string clusterName) =>
        Mutate((world, _) =>
        {
            var found = world.FindAccount(accountId)?.FindRegion(region)?.FindCluster(clusterName) is not null;
            return (found ? world.UpdateRegion(accountId, region, r => r.WithoutCluster(clusterName)) : world, found);
        });

    public void AddInstance(string accountId, string region, SimulatedNode node) =>
        Update(world => world.UpdateRegion(accountId, region, r => r.WithInstance(node)));

    public bool RemoveInstance(string accountId, string region, string instanceId) =>
        Mutate((world, _) =>
        {
            var found = world.FindAccount(accountId)?.FindRegion(region)?.Instances.Any(n => n.Instance.InstanceId == instanceId) == true;
            return (found ? world.UpdateRegion(accountId, region, r => r.WithoutInstance(instanceId)) : world, found);
        });

    private static SimulatedWorld AddCluster(SimulatedWorld world, string accountId, SimulatedCluster cluster, IEnumerable<SimulatedNode> nodes) =>
        world.UpdateRegion(accountId, cluster.Cluster.Region, region => nodes.Aggregate(region.WithCluster(cluster), (r, n) => r.WithInstance(n)));

    private Task UpdateAsync(Func<SimulatedWorld, SimulatedWorld> change, CancellationToken cancellationToken) =>
        MutateAsync((world, _) => (change(world), 0), cancellationToken);

    private T Mutate<T>(Func<SimulatedWorld, Random, (SimulatedWorld World, T Result)> change) => Wait(ct => MutateAsync(change, ct));

    /// <summary>A read-modify-write of the world with the seeded random source, returning a result.</summary>
    private Task<T> MutateAsync<T>(Func<SimulatedWorld, Random, (SimulatedWorld World, T Result)> change, CancellationToken cancellationToken) =>
        _store.UpdateAsync(snapshot =>
        {
            var (world, result) = change(snapshot.World, snapshot.RandomForNextChange());
            return (ReferenceEquals(world, snapshot.World) ? snapshot : snapshot with { World = world }, result);
        }, cancellationToken);

    /// <summary>
    /// Runs a store operation for the synchronous members (<see cref="World"/>, <see cref="Update"/> …). Blocking is
    /// harmless on the thread pool; under any other scheduler (a grain's, a synchronization context) the operation runs
    /// on the pool instead, as a database driver's continuations would otherwise queue behind the blocked caller.
    /// </summary>
    private static T Wait<T>(Func<CancellationToken, Task<T>> operation) =>
        SynchronizationContext.Current is null && TaskScheduler.Current == TaskScheduler.Default
            ? operation(CancellationToken.None).GetAwaiter().GetResult()
            : Task.Run(() => operation(CancellationToken.None)).GetAwaiter().GetResult();

    /// <summary>Serves one call: injected faults first (as throttling precedes auth on AWS), then the body; records the outcome.</summary>
    [SuppressMessage("Design", "CA1068", Justification = "The body lambda reads best last.")]
    private async Task<T> Run<T>(string operation, string? accountId, string? region, string arguments, CancellationToken cancellationToken,
        Func<DateTimeOffset, Task<T>> body)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var now = _time.GetUtcNow();
        try
        {
            _faults.ThrowIfFaulted(operation, accountId);
            var result = await body(now);
            _lostAnswers.ThrowIfFaulted(operation, accountId);
            _calls.Add(new CloudCall(now, operation, accountId, region, arguments, CloudCall.Ok));
            return result;
        }
        catch (CloudException e)
        {
            _calls.Add(new CloudCall(now, operation, accountId, region, arguments, e.Code));
            throw;
        }
    }

    [SuppressMessage("Design", "CA1068", Justification = "The body lambda reads best last.")]
    private Task<T> RunAs<T>(CloudSession session, string operation, string region, string arguments, CancellationToken cancellationToken, Func<Scope, T> body) =>
        RunAs(session, operation, region, arguments, cancellationToken, scope => Task.FromResult(body(scope)));

    /// <summary>A call made with an assumed role in one region: checks the session, the role's permission and the region.</summary>
    [SuppressMessage("Design", "CA1068", Justification = "The body lambda reads best last.")]
    private Task<T> RunAs<T>(CloudSession session, string operation, string region, string arguments, CancellationToken cancellationToken,
        Func<Scope, Task<T>> body) =>
        Run(operation, session.AccountId, region, arguments, cancellationToken, async now =>
        {
            var snapshot = await _store.ReadAsync(cancellationToken);
            var role = Authenticate(snapshot, session, now);
            var action = RequiredAction(operation);
            if (action is not null && role?.Allows(action) != true) throw CloudException.MissingPermission(action);
            if (!RegionPattern().IsMatch(region)) throw new CloudException(CloudErrorCodes.InvalidRequest, $"'{region}' is not a region name.");
            var account = snapshot.World.FindAccount(session.AccountId) ?? SimulatedAccount.Empty(session.AccountId);
            return await body(new Scope(snapshot.World, account, account.FindRegion(region) ?? SimulatedRegion.Empty(region), role, now));
        });

    /// <summary>
    /// IAM's verdict on <paramref name="action"/> for the session's role, recorded in the call log as the action itself:
    /// for what the simulated cloud has no operation of its own for (CreateFleet; CreateTags, within the launch named by
    /// <paramref name="createAction"/>, IAM's <c>ec2:CreateAction</c>) or serves through another operation. Throws
    /// <c>missing_permission:&lt;action&gt;</c> when the role does not allow it, as AWS refuses before acting.
    /// </summary>
    public Task AuthorizeAsync(CloudSession session, string region, string action, string? createAction = null, CancellationToken cancellationToken = default) =>
        RunAs(session, action, region, createAction is null ? "" : $"createAction={createAction}", cancellationToken,
            scope => scope.Role?.Allows(action, createAction) == true ? true : throw CloudException.MissingPermission(action));

    /// <summary>
    /// The IAM action an operation needs. Interruption notices reach AWS customers as EC2 events and instance
    /// state, so reading them needs what reading instances needs; the permission check needs nothing. Tags are
    /// judged by <see cref="AuthorizeAsync"/>, which knows the launch they come with.
    /// </summary>
    private static string? RequiredAction(string operation) => operation switch
    {
        CheckPermissionsOperation => null,
        CloudActions.CreateTags => null,
        CloudActions.DrainNode => null,
        CloudActions.DescribeInterruptions => CloudActions.DescribeInstances,
        _ => operation,
    };

    /// <summary>The session's role as it is now; null when the stack was deleted (every call is then denied, as on AWS).</summary>
    private static SimulatedRole? Authenticate(SimulatedWorldSnapshot snapshot, CloudSession session, DateTimeOffset now)
    {
        if (!snapshot.Sessions.TryGetValue(session.Credentials.AccessKeyId, out var issued) || !issued.Proves(session.Credentials.SecretAccessKey))
            throw new CloudException(CloudErrorCodes.SessionInvalid, "The security token included in the request is invalid.");
        if (now >= issued.Expiration)
            throw new CloudException(CloudErrorCodes.SessionExpired, "The security token included in the request is expired.");
        var role = snapshot.World.FindAccount(issued.AccountId)?.FindRole(issued.RoleName);
        return role?.ExternalId == issued.ExternalId ? role : null;
    }

    [GeneratedRegex(@"^[a-z]{2}(-[a-z]+)+-\d$", RegexOptions.CultureInvariant)]
    private static partial Regex RegionPattern();

    private sealed record Scope(SimulatedWorld World, SimulatedAccount Account, SimulatedRegion Region, SimulatedRole? Role, DateTimeOffset Now);
}
