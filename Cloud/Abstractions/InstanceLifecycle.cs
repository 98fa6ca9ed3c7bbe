namespace SpotOptimizer.Cloud;

/// <summary>
/// Launch, stop, start and terminate instances, read interruption signals. The executor is the only caller and passes
/// <c>dryRun</c> under SAFE_MODE. Served by the simulator and by AWS (EC2 CreateFleet / StopInstances / StartInstances /
/// TerminateInstances, notices from DescribeSpotInstanceRequests).
/// </summary>
public interface IInstanceLifecycle
{
    /// <summary>
    /// Launches: on AWS one EC2 CreateFleet of type instant across <see cref="LaunchRequest.AllPools"/> with the node
    /// group's launch template. Idempotent by <see cref="LaunchRequest.ClientToken"/>: a repeated token returns the
    /// instances of the first launch instead of launching again (so a retried executor step never doubles a node).
    /// </summary>
    Task<LaunchResult> RunInstancesAsync(CloudSession session, string region, LaunchRequest request, CancellationToken cancellationToken = default);

    Task<TerminateResult> TerminateInstancesAsync(CloudSession session, string region, IReadOnlyList<string> instanceIds, bool dryRun, CancellationToken cancellationToken = default);

    /// <summary>
    /// EC2 StopInstances: running → stopping → stopped, the instance and its EBS volumes kept. Stopping a stopped (or
    /// stopping) instance changes nothing, as in EC2; a pending or terminated one, or a one-time Spot instance, is refused
    /// (<see cref="CloudErrorCodes.InvalidRequest"/>). A dry run answers the changes it would make.
    /// </summary>
    Task<IReadOnlyList<InstanceStateChange>> StopInstancesAsync(CloudSession session, string region, IReadOnlyList<string> instanceIds, bool dryRun,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// EC2 StartInstances: stopped → pending → running. Starting a running (or pending) instance changes nothing; a
    /// stopping or terminated one is refused (<see cref="CloudErrorCodes.InvalidRequest"/>). A dry run answers the changes it would make.
    /// </summary>
    Task<IReadOnlyList<InstanceStateChange>> StartInstancesAsync(CloudSession session, string region, IReadOnlyList<string> instanceIds, bool dryRun,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// Spot interruption notices and rebalance recommendations issued at or after <paramref name="since"/>. AWS
    /// publishes rebalance recommendations through no EC2 API (only instance metadata and EventBridge): against AWS
    /// this answers interruptions only, and rebalance recommendations reach the product from the in-cluster agent
    /// (<c>POST /api/agent/interruptions</c>).
    /// </summary>
    Task<IReadOnlyList<InterruptionNotice>> GetInterruptionNoticesAsync(CloudSession session, string region, DateTimeOffset since, CancellationToken cancellationToken = default);
}

/// <param name="ClientToken">Idempotency key, at most 64 ASCII characters; the executor derives it from the plan step.</param>
/// <param name="InstanceType">The first (preferred) pool's instance type.</param>
/// <param name="AvailabilityZone">The first (preferred) pool's zone.</param>
/// <param name="LaunchTemplateName">A launch template by name (its default version), when <see cref="LaunchTemplate"/> is not known.</param>
public sealed record LaunchRequest(
    string ClientToken,
    string InstanceType,
    string AvailabilityZone,
    InstanceLifecycle Lifecycle,
    int Count,
    IReadOnlyDictionary<string, string> Tags,
    string? LaunchTemplateName = null,
    bool DryRun = false)
{
    /// <summary>
    /// The node group's launch template (image, role, security groups, user data). AWS launches nothing without one; the
    /// simulator checks that it belongs to one of the region's node groups.
    /// </summary>
    public LaunchTemplateRef? LaunchTemplate { get; init; }

    /// <summary>The node group's subnet per availability zone name: where each pool's instances go on AWS.</summary>
    public IReadOnlyDictionary<string, string> SubnetIds { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>
    /// Alternative (zone, type) pools beside the first one: the cloud picks among them (price and capacity), so a pool
    /// short of capacity does not fail the launch.
    /// </summary>
    public IReadOnlyList<SpotPool> Pools { get; init; } = [];

    /// <summary>The first pool, then the alternatives, each once.</summary>
    public IReadOnlyList<SpotPool> AllPools => new[] { new SpotPool(AvailabilityZone, InstanceType) }.Concat(Pools).Distinct().ToList();

    /// <summary>Same launch whatever the collections' instances: a retried step rebuilds its request.</summary>
    public bool SameAs(LaunchRequest other) =>
        this with { Tags = other.Tags, SubnetIds = other.SubnetIds, Pools = other.Pools } == other
        && SameEntries(Tags, other.Tags) && SameEntries(SubnetIds, other.SubnetIds) && Pools.SequenceEqual(other.Pools);

    private static bool SameEntries(IReadOnlyDictionary<string, string> a, IReadOnlyDictionary<string, string> b) =>
        a.Count == b.Count && a.All(t => b.TryGetValue(t.Key, out var v) && v == t.Value);
}

/// <param name="DryRun">True when nothing was launched because the request was a dry run that would have succeeded.</param>
public sealed record LaunchResult(IReadOnlyList<Ec2Instance> Instances, bool DryRun);

public sealed record InstanceStateChange(string InstanceId, InstanceState Previous, InstanceState Current);

public sealed record TerminateResult(IReadOnlyList<InstanceStateChange> Changes, bool DryRun);

public enum InterruptionKind
{
    /// <summary>The two-minute Spot interruption notice.</summary>
    Interruption,

    /// <summary>EC2's earlier hint that the instance is at elevated risk.</summary>
    RebalanceRecommendation,
}

/// <param name="ActionTime">When AWS will act (interruptions only).</param>
public sealed record InterruptionNotice(
    string InstanceId,
    string InstanceType,
    string AvailabilityZone,
    InterruptionKind Kind,
    DateTimeOffset NoticeTime,
    DateTimeOffset? ActionTime)
{
    public SpotPool Pool => new(AvailabilityZone, InstanceType);
}
