namespace SpotOptimizer.Cloud;

public interface IEc2Inventory
{
    /// <summary>Every instance in the region, all pages (EC2 DescribeInstances). Recently terminated ones included, as AWS does.</summary>
    Task<IReadOnlyList<Ec2Instance>> DescribeInstancesAsync(CloudSession session, string region, CancellationToken cancellationToken = default);
}

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
