using System.Globalization;

namespace SpotOptimizer.Cloud.Aws;

/// <summary>Auto Scaling over its Query API (form POST, XML answers), API version 2011-01-01.</summary>
internal sealed class AwsAutoScaling(SignedAwsClient client, AwsCloudOptions options) : IAutoScaling
{
    public const string ApiVersion = "2011-01-01";

    // DescribeAutoScalingGroups' largest page.
    private const string PageSize = "100";

    public AwsQueryApi Api { get; } = new(client, "autoscaling", ApiVersion, () => options.Endpoints.AutoScaling);

    public Task<IReadOnlyList<AutoScalingGroup>> DescribeGroupsAsync(CloudSession session, string region, IReadOnlyList<string> names,
        CancellationToken cancellationToken = default) =>
        // Auto Scaling's lists are "member"-numbered from 1.
        Api.ListAsync(session, region, CloudActions.DescribeAutoScalingGroups,
            [.. AwsQueryApi.Indexed("AutoScalingGroupNames.member", names), new("MaxRecords", PageSize)], AutoScalingGroupsXml.ParsePage, cancellationToken);

    /// <summary>
    /// UpdateAutoScalingGroup, then the group as Auto Scaling now describes it. Auto Scaling has no dry-run mode:
    /// with <paramref name="dryRun"/> the group is read (it must exist) and returned with the new sizes; nothing is sent.
    /// </summary>
    public async Task<AutoScalingGroup> UpdateCapacityAsync(CloudSession session, string region, string groupName, NodegroupScaling capacity, bool dryRun,
        CancellationToken cancellationToken = default)
    {
        if (!capacity.IsValid)
            throw new CloudException(CloudErrorCodes.InvalidRequest, $"Scaling min={capacity.MinSize} max={capacity.MaxSize} desired={capacity.DesiredSize} is not valid.");
        if (dryRun) return await DescribeGroupAsync(session, region, groupName, cancellationToken) with { Capacity = capacity };

        await Api.InvokeAsync(session, region, CloudActions.UpdateAutoScalingGroup,
        [
            new("AutoScalingGroupName", groupName),
            new("MinSize", capacity.MinSize.ToString(CultureInfo.InvariantCulture)),
            new("MaxSize", capacity.MaxSize.ToString(CultureInfo.InvariantCulture)),
            new("DesiredCapacity", capacity.DesiredSize.ToString(CultureInfo.InvariantCulture)),
        ], cancellationToken);
        return await DescribeGroupAsync(session, region, groupName, cancellationToken);
    }

    private async Task<AutoScalingGroup> DescribeGroupAsync(CloudSession session, string region, string groupName, CancellationToken cancellationToken) =>
        (await DescribeGroupsAsync(session, region, [groupName], cancellationToken)).FirstOrDefault(g => g.Name == groupName)
            ?? throw new CloudException(CloudErrorCodes.NotFound, $"AutoScalingGroup name not found - {groupName}.") { Operation = CloudActions.DescribeAutoScalingGroups };
}
