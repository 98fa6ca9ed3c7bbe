namespace SpotOptimizer.Cloud.Simulation;

/// <summary>
/// Node group capacity (what hibernation drives, through EKS UpdateNodegroupConfig): set the new sizes, launch or
/// terminate nodes to match. A managed node group owns its Auto Scaling groups, which are only read here.
/// </summary>
public sealed partial class SimulatedCloud
{
    /// <summary>Returns the scaled node group and its region as it is afterwards.</summary>
    private async Task<(EksNodegroup Nodegroup, SimulatedRegion Region)> ScaleNodegroupAsync(Scope scope, string clusterName, EksNodegroup nodegroup,
        NodegroupScaling scaling, bool dryRun, CancellationToken cancellationToken)
    {
        if (!scaling.IsValid)
            throw new CloudException(CloudErrorCodes.InvalidRequest, $"Scaling min={scaling.MinSize} max={scaling.MaxSize} desired={scaling.DesiredSize} is not valid.");
        var scaled = nodegroup with { Scaling = scaling };
        if (dryRun) return (scaled, scope.Region);
        var after = await MutateAsync((world, random) =>
        {
            var region = world.FindAccount(scope.Account.AccountId)?.FindRegion(scope.Region.Name) ?? SimulatedRegion.Empty(scope.Region.Name);
            var cluster = region.FindCluster(clusterName) ?? throw new CloudException(CloudErrorCodes.NotFound, $"No cluster found for name: {clusterName}.");
            region = Reconcile(region.WithCluster(cluster.WithNodegroup(scaled)), clusterName, scaled, scope.Now, random);
            return (world.UpdateRegion(scope.Account.AccountId, scope.Region.Name, _ => region), region);
        }, cancellationToken);
        return (scaled, after);
    }

    /// <summary>Launches or terminates (newest first) the node group's nodes until the live ones match the desired size.</summary>
    private static SimulatedRegion Reconcile(SimulatedRegion region, string clusterName, EksNodegroup nodegroup, DateTimeOffset now, Random random)
    {
        var live = region.NodesOf(clusterName, nodegroup.Name).Where(n => n.TerminatedAt is null).OrderBy(n => n.Instance.LaunchTime).ToList();
        foreach (var surplus in live.Skip(nodegroup.Scaling.DesiredSize).Reverse())
            region = region.WithInstance(surplus with { TerminatedAt = now });
        var asg = nodegroup.AutoScalingGroupNames.Count > 0 ? nodegroup.AutoScalingGroupNames[0] : $"eks-{nodegroup.Name}";
        var lifecycle = nodegroup.CapacityType == CapacityType.Spot ? InstanceLifecycle.Spot : InstanceLifecycle.OnDemand;
        for (var i = live.Count; i < nodegroup.Scaling.DesiredSize; i++)
        {
            var zone = region.AvailabilityZones.MinBy(z => region.NodesOf(clusterName, nodegroup.Name).Count(n => n.TerminatedAt is null && n.Instance.AvailabilityZone == z))!;
            var type = nodegroup.InstanceTypes[random.Next(nodegroup.InstanceTypes.Count)];
            region = region.WithInstance(DemoWorld.Node(random, region.Name, zone, type, lifecycle, now, DemoWorld.NodeTags(clusterName, nodegroup.Name, asg), InstanceState.Pending));
        }

        return region;
    }

    private AutoScalingGroup Group(Scope scope, string clusterName, EksNodegroup nodegroup, string groupName) => new(
        groupName,
        nodegroup.Scaling,
        scope.Region.Instances.Where(n => n.Instance.AutoScalingGroupName == groupName && Observe(n, scope.Now)?.IsActive == true)
            .Select(n => n.Instance.InstanceId).ToList(),
        scope.Region.AvailabilityZones,
        new Dictionary<string, string> { [Ec2Instance.ClusterNameTag] = clusterName, [Ec2Instance.NodegroupNameTag] = nodegroup.Name })
    {
        // Every managed node group's ASG launches from the template EKS made (its copy of a custom one). A group of
        // several instance types carries it in a mixed instances policy, one type in a plain LaunchTemplate: both shapes AWS answers with.
        LaunchTemplate = SimulatedNetwork.LaunchTemplate(scope.Account.AccountId, clusterName, nodegroup.Name),
        MixedInstanceTypes = nodegroup.InstanceTypes.Count > 1 ? nodegroup.InstanceTypes : [],
    };

    private sealed class AutoScalingView(SimulatedCloud cloud) : IAutoScaling
    {
        public Task<IReadOnlyList<AutoScalingGroup>> DescribeGroupsAsync(CloudSession session, string region, IReadOnlyList<string> names, CancellationToken cancellationToken = default) =>
            cloud.RunAs<IReadOnlyList<AutoScalingGroup>>(session, CloudActions.DescribeAutoScalingGroups, region, $"names={string.Join(',', names)}", cancellationToken, scope =>
                scope.Region.Clusters
                    .SelectMany(c => c.Nodegroups.SelectMany(n => n.AutoScalingGroupNames.Select(g => cloud.Group(scope, c.Cluster.Name, n, g))))
                    .Where(g => names.Count == 0 || names.Contains(g.Name))
                    .ToList());
    }
}
