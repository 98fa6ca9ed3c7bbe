using SpotOptimizer.Cloud;

namespace SpotOptimizer.Grains.Execution;

/// <summary>
/// Where a node group's replacement is launched from: the group's launch template (image, instance role, security
/// groups, bootstrap) and its subnets by zone, as DescribeNodegroup and DescribeSubnets tell them. On AWS a node
/// launched any other way would not join the cluster, and CreateFleet refuses a launch without a template.
/// </summary>
internal static class NodegroupLaunch
{
    public static async Task<LaunchRequest> FromAsync(ICloudProvider cloud, ExecutionScope scope, string nodegroup, LaunchRequest request,
        CancellationToken cancellationToken)
    {
        var group = await cloud.Eks.DescribeNodegroupAsync(scope.Session, scope.Region, scope.ClusterName, nodegroup, cancellationToken);
        var template = group.LaunchTemplate ?? await AutoScalingTemplateAsync(cloud, scope, group, cancellationToken)
            ?? throw new CloudException(CloudErrorCodes.InvalidRequest,
                $"node group {nodegroup} has no launch template: neither DescribeNodegroup nor its Auto Scaling group names one.");
        var subnets = group.Subnets.Count == 0 ? [] : await cloud.Ec2.DescribeSubnetsAsync(scope.Session, scope.Region, group.Subnets, cancellationToken);
        return request with
        {
            LaunchTemplate = template,
            // A zone with several of the group's subnets: the first, as listed by the node group.
            SubnetIds = subnets
                .OrderBy(s => group.Subnets.ToList().IndexOf(s.SubnetId))
                .GroupBy(s => s.AvailabilityZone, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.First().SubnetId, StringComparer.Ordinal),
        };
    }

    /// <summary>
    /// A node group given no custom template runs on one EKS made itself, which DescribeNodegroup does not name: its Auto
    /// Scaling group does (plainly or in its mixed instances policy). The first of the group's ASGs that names one.
    /// </summary>
    private static async Task<LaunchTemplateRef?> AutoScalingTemplateAsync(ICloudProvider cloud, ExecutionScope scope, EksNodegroup group,
        CancellationToken cancellationToken)
    {
        if (group.AutoScalingGroupNames.Count == 0) return null;
        var described = await cloud.AutoScaling.DescribeGroupsAsync(scope.Session, scope.Region, group.AutoScalingGroupNames, cancellationToken);
        return group.AutoScalingGroupNames
            .Select(name => described.FirstOrDefault(g => g.Name == name)?.LaunchTemplate)
            .FirstOrDefault(t => t is not null);
    }
}
