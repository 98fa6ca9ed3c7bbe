namespace SpotOptimizer.Cloud.Aws;

/// <summary>
/// Every IAM action the AWS provider calls with the customer's role, declared in one place. A test holds it equal to
/// <see cref="RequiredPermissions.Actions"/> and to the actions of the CloudFormation template's role policy, so the
/// policy we ask customers for is exactly what the code uses: calling a new action means adding it here, to
/// <see cref="RequiredPermissions"/> and to the template, or the test fails. (<c>sts:AssumeRole</c> is ours, not the role's.)
/// </summary>
public static class AwsCalledActions
{
    public static readonly IReadOnlyList<string> All =
    [
        // AwsEc2 / AwsInstances / AwsSpotMarket / AwsVolumes
        CloudActions.DescribeInstances,
        CloudActions.DescribeSpotPriceHistory,
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

        // AwsEks
        CloudActions.ListClusters,
        CloudActions.DescribeCluster,
        CloudActions.ListNodegroups,
        CloudActions.DescribeNodegroup,
        CloudActions.UpdateNodegroupConfig,

        // AwsAutoScaling
        CloudActions.DescribeAutoScalingGroups,
        CloudActions.UpdateAutoScalingGroup,

        // RunInstances with a node group's instance profile passes its role to EC2.
        CloudActions.PassRole,

        // AwsInstanceEvents
        CloudActions.ReceiveMessage,
        CloudActions.DeleteMessage,
    ];
}
