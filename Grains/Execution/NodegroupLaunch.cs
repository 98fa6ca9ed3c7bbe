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
        var subnets = group.Subnets.Count == 0 ? [] : await cloud.Ec2.DescribeSubnetsAsync(scope.Session, scope.Region, group.Subnets, cancellationToken);
        return request with
        {
            LaunchTemplate = group.LaunchTemplate,
            // A zone with several of the group's subnets: the first, as listed by the node group.
            SubnetIds = subnets
                .OrderBy(s => group.Subnets.ToList().IndexOf(s.SubnetId))
                .GroupBy(s => s.AvailabilityZone, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.First().SubnetId, StringComparer.Ordinal),
        };
    }
}
