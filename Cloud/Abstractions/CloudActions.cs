namespace SpotOptimizer.Cloud;

/// <summary>
/// IAM action names. They double as operation names in the simulator's call log and fault injection,
/// so a fault, a recorded call and a missing permission all speak the same words.
/// </summary>
public static class CloudActions
{
    public const string AssumeRole = "sts:AssumeRole";
    public const string DescribeInstances = "ec2:DescribeInstances";
    /// <summary>
    /// Spot prices: read by the platform with its own identity (the public market), never with a customer's role, so not
    /// in <see cref="RequiredPermissions"/>.
    /// </summary>
    public const string DescribeSpotPriceHistory = "ec2:DescribeSpotPriceHistory";
    public const string DescribeAvailabilityZones = "ec2:DescribeAvailabilityZones";
    public const string DescribeSubnets = "ec2:DescribeSubnets";

    /// <summary>Spot placement scores: a read the optimizer uses as a risk input; a role without it still optimizes.</summary>
    public const string GetSpotPlacementScores = "ec2:GetSpotPlacementScores";
    public const string RunInstances = "ec2:RunInstances";
    public const string CreateFleet = "ec2:CreateFleet";
    public const string TerminateInstances = "ec2:TerminateInstances";
    public const string StopInstances = "ec2:StopInstances";
    public const string StartInstances = "ec2:StartInstances";
    /// <summary>Tags, granted only inside a launch (<c>ec2:CreateAction</c> CreateFleet or RunInstances): never on an existing resource.</summary>
    public const string CreateTags = "ec2:CreateTags";
    public const string DetachVolume = "ec2:DetachVolume";
    public const string AttachVolume = "ec2:AttachVolume";
    public const string DescribeVolumes = "ec2:DescribeVolumes";
    public const string DescribeSpotInstanceRequests = "ec2:DescribeSpotInstanceRequests";
    public const string ListClusters = "eks:ListClusters";
    public const string DescribeCluster = "eks:DescribeCluster";
    public const string ListNodegroups = "eks:ListNodegroups";
    public const string DescribeNodegroup = "eks:DescribeNodegroup";
    public const string UpdateNodegroupConfig = "eks:UpdateNodegroupConfig";
    public const string DescribeAutoScalingGroups = "autoscaling:DescribeAutoScalingGroups";
    public const string PassRole = "iam:PassRole";

    /// <summary>Reads the account's EventBridge queue of EC2 instance events (interruptions, rebalance, state changes).</summary>
    public const string ReceiveMessage = "sqs:ReceiveMessage";

    /// <summary>Acknowledges read events; DeleteMessageBatch is authorized as this action.</summary>
    public const string DeleteMessage = "sqs:DeleteMessage";

    /// <summary>
    /// Not an AWS action: the simulator's name for reading interruption notices. Against AWS they are read with
    /// <see cref="DescribeSpotInstanceRequests"/>.
    /// </summary>
    public const string DescribeInterruptions = "sim:DescribeInterruptions";

    /// <summary>Not an AWS action: cordon and drain through the cluster's agent (Kubernetes RBAC, not IAM).</summary>
    public const string DrainNode = "k8s:DrainNode";

    /// <summary>Not an AWS action: the platform's own market feed (public Spot prices, not a tenant's account).</summary>
    public const string MarketFeed = "feed:SpotPrices";

    /// <summary>Operation name matching every operation in <c>SimulatedCloud.InjectFault</c>.</summary>
    public const string Any = "*";
}

/// <summary>
/// What the customer's role must allow: the actions of <see cref="Aws.AwsCalledActions"/>, in the order the permission
/// check reports them. The CloudFormation template we hand out is checked against this list, and the list against what the
/// product calls through the simulator's AWS wire (see <c>Cloud/README.md</c>).
/// </summary>
public static class RequiredPermissions
{
    public static readonly IReadOnlyList<string> Actions =
    [
        CloudActions.DescribeInstances,
        CloudActions.DescribeSpotInstanceRequests,
        CloudActions.DescribeVolumes,
        CloudActions.DescribeAvailabilityZones,
        CloudActions.DescribeSubnets,
        CloudActions.GetSpotPlacementScores,
        CloudActions.RunInstances,
        CloudActions.CreateFleet,
        CloudActions.TerminateInstances,
        CloudActions.StopInstances,
        CloudActions.StartInstances,
        CloudActions.CreateTags,
        CloudActions.DetachVolume,
        CloudActions.AttachVolume,
        CloudActions.ListClusters,
        CloudActions.DescribeCluster,
        CloudActions.ListNodegroups,
        CloudActions.DescribeNodegroup,
        CloudActions.UpdateNodegroupConfig,
        CloudActions.DescribeAutoScalingGroups,
        CloudActions.PassRole,
        CloudActions.ReceiveMessage,
        CloudActions.DeleteMessage,
    ];
}
