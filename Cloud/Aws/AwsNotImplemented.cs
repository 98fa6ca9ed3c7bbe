namespace SpotOptimizer.Cloud.Aws;

/// <summary>The designed concerns the AWS provider does not serve yet; the simulator does.</summary>
internal sealed class AwsNotImplemented : ISpotMarket, IInstanceLifecycle, IAutoScaling, IVolumes, INodeDrain
{
    public Task<IReadOnlyList<SpotPrice>> GetPriceHistoryAsync(CloudSession session, string region, SpotPriceQuery query, CancellationToken cancellationToken = default) =>
        Fail<IReadOnlyList<SpotPrice>>(CloudActions.DescribeSpotPriceHistory);

    public Task<IReadOnlyList<SpotPrice>> GetCurrentPricesAsync(CloudSession session, string region, IReadOnlyList<string> instanceTypes, CancellationToken cancellationToken = default) =>
        Fail<IReadOnlyList<SpotPrice>>(CloudActions.DescribeSpotPriceHistory);

    public Task<LaunchResult> RunInstancesAsync(CloudSession session, string region, LaunchRequest request, CancellationToken cancellationToken = default) =>
        Fail<LaunchResult>(CloudActions.RunInstances);

    public Task<TerminateResult> TerminateInstancesAsync(CloudSession session, string region, IReadOnlyList<string> instanceIds, bool dryRun,
        CancellationToken cancellationToken = default) =>
        Fail<TerminateResult>(CloudActions.TerminateInstances);

    public Task<IReadOnlyList<InterruptionNotice>> GetInterruptionNoticesAsync(CloudSession session, string region, DateTimeOffset since,
        CancellationToken cancellationToken = default) =>
        Fail<IReadOnlyList<InterruptionNotice>>(CloudActions.DescribeInterruptions);

    public Task<IReadOnlyList<AutoScalingGroup>> DescribeGroupsAsync(CloudSession session, string region, IReadOnlyList<string> names,
        CancellationToken cancellationToken = default) =>
        Fail<IReadOnlyList<AutoScalingGroup>>(CloudActions.DescribeAutoScalingGroups);

    public Task<AutoScalingGroup> UpdateCapacityAsync(CloudSession session, string region, string groupName, NodegroupScaling capacity, bool dryRun,
        CancellationToken cancellationToken = default) =>
        Fail<AutoScalingGroup>(CloudActions.UpdateAutoScalingGroup);

    public Task<VolumeAttachment> DetachVolumeAsync(CloudSession session, string region, string volumeId, bool dryRun, CancellationToken cancellationToken = default) =>
        Fail<VolumeAttachment>(CloudActions.DetachVolume);

    public Task<DrainResult> DrainAsync(CloudSession session, string region, string clusterName, string instanceId, DrainRequest request,
        CancellationToken cancellationToken = default) =>
        Fail<DrainResult>(CloudActions.DrainNode);

    private static Task<T> Fail<T>(string operation) =>
        Task.FromException<T>(new CloudException(CloudErrorCodes.NotImplemented, $"The AWS provider does not implement {operation} yet.") { Operation = operation });
}
