namespace SpotOptimizer.Cloud;

public interface IEc2Inventory
{
    /// <summary>Every instance in the region, all pages (EC2 DescribeInstances). Recently terminated ones included, as AWS does.</summary>
    Task<IReadOnlyList<Ec2Instance>> DescribeInstancesAsync(CloudSession session, string region, CancellationToken cancellationToken = default);

    /// <summary>
    /// The named instances (EC2 DescribeInstances with instance ids, one page). An id EC2 does not know fails the call
    /// (<see cref="CloudErrorCodes.NotFound"/>, <c>InvalidInstanceID.NotFound</c>): on AWS also for a few seconds after
    /// the instance was launched, as EC2 is eventually consistent.
    /// </summary>
    Task<IReadOnlyList<Ec2Instance>> DescribeInstancesAsync(CloudSession session, string region, IReadOnlyList<string> instanceIds,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// The account's zones in the region with their zone IDs (EC2 DescribeAvailabilityZones). AWS maps zone names to
    /// physical zones differently in every account (<c>us-east-1a</c> here may be <c>use1-az4</c>, elsewhere
    /// <c>use1-az1</c>): only the ID names the same zone across accounts.
    /// </summary>
    Task<IReadOnlyList<AvailabilityZone>> DescribeAvailabilityZonesAsync(CloudSession session, string region, CancellationToken cancellationToken = default);

    /// <summary>
    /// The named subnets (EC2 DescribeSubnets), or every subnet of the region when <paramref name="subnetIds"/> is
    /// empty. An unknown id fails the call (<see cref="CloudErrorCodes.NotFound"/>), as EC2 does.
    /// </summary>
    Task<IReadOnlyList<Subnet>> DescribeSubnetsAsync(CloudSession session, string region, IReadOnlyList<string> subnetIds,
        CancellationToken cancellationToken = default);
}

/// <param name="ZoneName">The account's name for the zone, e.g. <c>us-east-1a</c>.</param>
/// <param name="ZoneId">The zone's ID, the same in every account, e.g. <c>use1-az4</c>.</param>
public sealed record AvailabilityZone(string ZoneName, string ZoneId);

public sealed record Subnet(string SubnetId, string AvailabilityZone, string AvailabilityZoneId);

public enum InstanceLifecycle
{
    OnDemand,
    Spot,
}

public enum InstanceState
{
    Pending,
    Running,
    ShuttingDown,
    Terminated,
    Stopping,
    Stopped,
}

public sealed record Ec2Instance(
    string InstanceId,
    string InstanceType,
    string AvailabilityZone,
    InstanceLifecycle Lifecycle,
    InstanceState State,
    DateTimeOffset LaunchTime,
    string PrivateDnsName,
    IReadOnlyDictionary<string, string> Tags)
{
    public const string ClusterNameTag = "eks:cluster-name";
    public const string NodegroupNameTag = "eks:nodegroup-name";
    public const string AutoScalingGroupTag = "aws:autoscaling:groupName";

    /// <summary>The tag Karpenter puts on every instance it launches, naming the NodePool.</summary>
    public const string NodePoolTag = "karpenter.sh/nodepool";

    /// <summary>The EKS cluster this node belongs to, from its tags; null for a non-EKS instance.</summary>
    public string? ClusterName => Tags.GetValueOrDefault(ClusterNameTag);

    public string? NodegroupName => Tags.GetValueOrDefault(NodegroupNameTag);

    public string? AutoScalingGroupName => Tags.GetValueOrDefault(AutoScalingGroupTag);

    /// <summary>
    /// The device of the root EBS volume (e.g. <c>/dev/xvda</c>), which stays with the instance when its other volumes
    /// move; null when the provider did not say.
    /// </summary>
    public string? RootDeviceName { get; init; }

    /// <summary>The Karpenter NodePool that launched this node; null for a node group's node.</summary>
    public string? NodePool => Tags.GetValueOrDefault(NodePoolTag);

    public bool IsActive => State is InstanceState.Pending or InstanceState.Running;
}
