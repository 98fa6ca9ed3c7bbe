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
    IReadOnlyDictionary<string, string> Tags);
