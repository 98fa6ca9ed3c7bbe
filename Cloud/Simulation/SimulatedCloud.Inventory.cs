namespace SpotOptimizer.Cloud.Simulation;

/// <summary>Discovery: the permission check, EC2 instances and EKS clusters/node groups.</summary>
public sealed partial class SimulatedCloud
{
    /// <summary>The instance as EC2 reports it at <paramref name="now"/>; null once terminated long enough to vanish.</summary>
    private Ec2Instance? Observe(SimulatedNode node, DateTimeOffset now)
    {
        var instance = node.Instance;
        var state = instance.State switch
        {
            InstanceState.Pending when now >= instance.LaunchTime + _options.BootTime => InstanceState.Running,
            InstanceState.Stopping when node.StoppingSince is { } since && now >= since + _options.StopTime => InstanceState.Stopped,
            var stored => stored,
        };
        if (node.TerminatedAt is { } terminatedAt && now >= terminatedAt)
        {
            if (now >= terminatedAt + _options.ShutdownTime + _options.TerminatedVisibility) return null;
            state = now >= terminatedAt + _options.ShutdownTime ? InstanceState.Terminated : InstanceState.ShuttingDown;
        }

        return state == instance.State ? instance : instance with { State = state };
    }

    /// <summary>
    /// The region as EC2 would report its instances at <paramref name="now"/>: a launched node booted, a stopped one
    /// stopped, a long-terminated one gone. The stored state is what was last written (a launch stays <c>pending</c>),
    /// so a cluster's Kubernetes view built from it must read this, or a node that has booted would never join.
    /// </summary>
    public SimulatedRegion ObservedAt(SimulatedRegion region, DateTimeOffset now) => region with
    {
        Instances = [.. region.Instances.Select(n => Observe(n, now) is { } seen ? (ReferenceEquals(seen, n.Instance) ? n : n with { Instance = seen }) : null)
            .OfType<SimulatedNode>()],
    };

    private IReadOnlyList<Ec2Instance> ObserveAll(Scope scope) =>
        scope.Region.Instances.Select(n => Observe(n, scope.Now)).OfType<Ec2Instance>().ToList();

    private static SimulatedCluster FindCluster(Scope scope, string clusterName) =>
        scope.Region.FindCluster(clusterName) ?? throw new CloudException(CloudErrorCodes.NotFound, $"No cluster found for name: {clusterName}.");

    private static EksNodegroup FindNodegroup(Scope scope, string clusterName, string nodegroupName) =>
        FindCluster(scope, clusterName).FindNodegroup(nodegroupName)
        ?? throw new CloudException(CloudErrorCodes.NotFound, $"No node group found for name: {nodegroupName}.");

    private sealed class PermissionsView(SimulatedCloud cloud) : ICloudPermissions
    {
        /// <summary>
        /// The simulator knows the role's policy, so every action is definitely granted or missing. Tags are judged where the
        /// product asks for them, within a CreateFleet launch.
        /// </summary>
        public Task<PermissionReport> CheckAsync(CloudSession session, string region, CancellationToken cancellationToken = default) =>
            cloud.RunAs(session, CheckPermissionsOperation, region, "", cancellationToken, scope => new PermissionReport(
                RequiredPermissions.Actions
                    .Select(a => new PermissionCheck(a, scope.Role?.Allows(a, a == CloudActions.CreateTags ? "CreateFleet" : null) == true
                        ? PermissionStatus.Granted
                        : PermissionStatus.Missing))
                    .ToList()));
    }

    private sealed class Ec2View(SimulatedCloud cloud) : IEc2Inventory
    {
        public Task<IReadOnlyList<Ec2Instance>> DescribeInstancesAsync(CloudSession session, string region, CancellationToken cancellationToken = default) =>
            cloud.RunAs(session, CloudActions.DescribeInstances, region, "", cancellationToken, cloud.ObserveAll);

        public Task<IReadOnlyList<Ec2Instance>> DescribeInstancesAsync(CloudSession session, string region, IReadOnlyList<string> instanceIds,
            CancellationToken cancellationToken = default) =>
            cloud.RunAs<IReadOnlyList<Ec2Instance>>(session, CloudActions.DescribeInstances, region, $"ids={string.Join(',', instanceIds)}", cancellationToken, scope =>
            {
                var byId = cloud.ObserveAll(scope).ToDictionary(i => i.InstanceId, StringComparer.Ordinal);
                return [.. instanceIds.Select(id => byId.TryGetValue(id, out var instance)
                    ? instance
                    : throw new CloudException(CloudErrorCodes.NotFound, $"The instance ID '{id}' does not exist") { ProviderCode = "InvalidInstanceID.NotFound" })];
            });

        public Task<IReadOnlyList<AvailabilityZone>> DescribeAvailabilityZonesAsync(CloudSession session, string region, CancellationToken cancellationToken = default) =>
            cloud.RunAs(session, CloudActions.DescribeAvailabilityZones, region, "", cancellationToken,
                scope => SimulatedNetwork.Zones(scope.Account.AccountId, scope.Region));

        public Task<IReadOnlyList<Subnet>> DescribeSubnetsAsync(CloudSession session, string region, IReadOnlyList<string> subnetIds,
            CancellationToken cancellationToken = default) =>
            cloud.RunAs<IReadOnlyList<Subnet>>(session, CloudActions.DescribeSubnets, region, $"subnets={string.Join(',', subnetIds)}", cancellationToken, scope =>
            {
                var all = SimulatedNetwork.Subnets(scope.Account.AccountId, scope.Region);
                if (subnetIds.Count == 0) return all;
                var byId = all.ToDictionary(s => s.SubnetId, StringComparer.Ordinal);
                return [.. subnetIds.Select(id => byId.TryGetValue(id, out var subnet)
                    ? subnet
                    : throw new CloudException(CloudErrorCodes.NotFound, $"The subnet ID '{id}' does not exist") { ProviderCode = "InvalidSubnetID.NotFound" })];
            });
    }

    private sealed class EksView(SimulatedCloud cloud) : IEksClusters
    {
        public Task<IReadOnlyList<string>> ListClustersAsync(CloudSession session, string region, CancellationToken cancellationToken = default) =>
            cloud.RunAs<IReadOnlyList<string>>(session, CloudActions.ListClusters, region, "", cancellationToken,
                scope => scope.Region.Clusters.Select(c => c.Cluster.Name).ToList());

        public Task<EksCluster> DescribeClusterAsync(CloudSession session, string region, string clusterName, CancellationToken cancellationToken = default) =>
            cloud.RunAs(session, CloudActions.DescribeCluster, region, $"cluster={clusterName}", cancellationToken,
                scope => FindCluster(scope, clusterName).Cluster);

        public Task<IReadOnlyList<string>> ListNodegroupsAsync(CloudSession session, string region, string clusterName, CancellationToken cancellationToken = default) =>
            cloud.RunAs<IReadOnlyList<string>>(session, CloudActions.ListNodegroups, region, $"cluster={clusterName}", cancellationToken,
                scope => FindCluster(scope, clusterName).Nodegroups.Select(n => n.Name).ToList());

        public Task<EksNodegroup> DescribeNodegroupAsync(CloudSession session, string region, string clusterName, string nodegroupName, CancellationToken cancellationToken = default) =>
            cloud.RunAs(session, CloudActions.DescribeNodegroup, region, $"cluster={clusterName} nodegroup={nodegroupName}", cancellationToken,
                scope => SimulatedNetwork.Described(scope.Account.AccountId, scope.Region, FindNodegroup(scope, clusterName, nodegroupName)));

        /// <remarks>The sizes are absolute, so a repeated update is the same update: the token needs no bookkeeping here.</remarks>
        public Task<EksNodegroup> UpdateNodegroupScalingAsync(CloudSession session, string region, string clusterName, string nodegroupName,
            NodegroupScaling scaling, bool dryRun, string? clientRequestToken = null, CancellationToken cancellationToken = default) =>
            cloud.RunAs(session, CloudActions.UpdateNodegroupConfig, region,
                $"cluster={clusterName} nodegroup={nodegroupName} min={scaling.MinSize} max={scaling.MaxSize} desired={scaling.DesiredSize} dryRun={dryRun}",
                cancellationToken, async scope =>
                    SimulatedNetwork.Described(scope.Account.AccountId, scope.Region,
                        (await cloud.ScaleNodegroupAsync(scope, clusterName, FindNodegroup(scope, clusterName, nodegroupName), scaling, dryRun, cancellationToken)).Nodegroup));
    }
}
