namespace SpotOptimizer.Cloud.Aws;

/// <summary>
/// Every IAM action the AWS provider calls with the customer's role, declared in one place. Two tests hold it true: one
/// holds it equal to <see cref="RequiredPermissions.Actions"/> and to the actions of the CloudFormation template's role
/// policy (<c>CloudFormationTemplateTests</c>); the other runs the product's flows through this provider against the
/// simulator's AWS wire and compares what the role was really asked to authorize with this list
/// (<c>CustomerRoleActionsTests</c>): a call of an undeclared action, or a declared action nothing calls, fails there.
/// Calls made with the platform's own identity (<see cref="PlatformEc2"/>: the public Spot prices) and <c>sts:AssumeRole</c>
/// (the platform's permission, not the role's) are not the role's and are not listed.
/// </summary>
public static class AwsCalledActions
{
    public static readonly IReadOnlyList<string> All =
    [
        // AwsEc2 / AwsFleet / AwsInstances / AwsSpotMarket / AwsVolumes (AWSSDK.EC2)
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

        // AwsEks (signed by AWSSDK.Core); hibernation scales node groups with UpdateNodegroupConfig.
        CloudActions.ListClusters,
        CloudActions.DescribeCluster,
        CloudActions.ListNodegroups,
        CloudActions.DescribeNodegroup,
        CloudActions.UpdateNodegroupConfig,

        // AwsAutoScaling (signed by AWSSDK.Core): reads the launch template of groups EKS made the template for.
        CloudActions.DescribeAutoScalingGroups,

        // CreateFleet from a node group's launch template with an instance profile passes its role to EC2.
        CloudActions.PassRole,

        // AwsInstanceEvents (AWSSDK.SQS)
        CloudActions.ReceiveMessage,
        CloudActions.DeleteMessage,
    ];

    /// <summary>
    /// Declared actions no API call names: IAM authorizes them as part of another call. <c>ec2:RunInstances</c> and
    /// <c>iam:PassRole</c> are checked by CreateFleet for each instance it launches (with the template's instance
    /// profile); <c>ec2:CreateTags</c> by CreateFleet's TagSpecifications (the template's condition allows it nowhere else).
    /// </summary>
    public static readonly IReadOnlyList<string> AuthorizedWithinOtherCalls = [CloudActions.RunInstances, CloudActions.PassRole, CloudActions.CreateTags];
}
