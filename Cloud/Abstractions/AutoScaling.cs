namespace SpotOptimizer.Cloud;

/// <summary>Auto Scaling groups behind node groups. Served by the simulator and by AWS (DescribeAutoScalingGroups / UpdateAutoScalingGroup).</summary>
public interface IAutoScaling
{
    /// <summary>The named groups, or every group in the region when <paramref name="names"/> is empty.</summary>
    Task<IReadOnlyList<AutoScalingGroup>> DescribeGroupsAsync(CloudSession session, string region, IReadOnlyList<string> names, CancellationToken cancellationToken = default);

    /// <summary>
    /// Sets min/max/desired (UpdateAutoScalingGroup). Auto Scaling has no dry-run mode: with <paramref name="dryRun"/>
    /// the request is validated against the group and nothing is sent.
    /// </summary>
    Task<AutoScalingGroup> UpdateCapacityAsync(CloudSession session, string region, string groupName, NodegroupScaling capacity, bool dryRun, CancellationToken cancellationToken = default);
}

public sealed record AutoScalingGroup(
    string Name,
    NodegroupScaling Capacity,
    IReadOnlyList<string> InstanceIds,
    IReadOnlyList<string> AvailabilityZones,
    IReadOnlyDictionary<string, string> Tags)
{
    /// <summary>
    /// The launch template the group starts instances from: its own <c>LaunchTemplate</c>, or its mixed instances
    /// policy's <c>LaunchTemplateSpecification</c>. When EKS made a node group's template itself, this is the only place
    /// that names it. Null for a group on a launch configuration.
    /// </summary>
    public LaunchTemplateRef? LaunchTemplate { get; init; }

    /// <summary>The instance types of the group's mixed instances policy (its overrides); empty when the group has no such policy.</summary>
    public IReadOnlyList<string> MixedInstanceTypes { get; init; } = [];
}
