namespace SpotOptimizer.Cloud;

/// <summary>
/// Launch, stop, start and terminate instances, read interruption signals. The executor is the only caller and passes
/// <c>dryRun</c> under SAFE_MODE. Served by the simulator and by AWS (EC2 RunInstances / StopInstances / StartInstances /
/// TerminateInstances, notices from DescribeSpotInstanceRequests).
/// </summary>
public interface IInstanceLifecycle
{
    /// <summary>
    /// EC2 RunInstances. Idempotent by <see cref="LaunchRequest.ClientToken"/>: a repeated token returns the
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
/// <param name="LaunchTemplateName">The node group's launch template on AWS; the simulator ignores it.</param>
public sealed record LaunchRequest(
    string ClientToken,
    string InstanceType,
    string AvailabilityZone,
    InstanceLifecycle Lifecycle,
    int Count,
    IReadOnlyDictionary<string, string> Tags,
    string? LaunchTemplateName = null,
    bool DryRun = false);

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
