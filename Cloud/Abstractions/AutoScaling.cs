namespace SpotOptimizer.Cloud;

/// <summary>
/// Auto Scaling groups behind node groups, read only (DescribeAutoScalingGroups). Served by the simulator and by AWS.
/// Managed node groups are resized through EKS (<see cref="IEksClusters"/>), which resizes their groups itself.
/// </summary>
public interface IAutoScaling
{
    /// <summary>The named groups, or every group in the region when <paramref name="names"/> is empty.</summary>
    Task<IReadOnlyList<AutoScalingGroup>> DescribeGroupsAsync(CloudSession session, string region, IReadOnlyList<string> names, CancellationToken cancellationToken = default);
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
