namespace SpotOptimizer.Cloud.Aws;

/// <summary>
/// Auto Scaling over its Query API (form POST, XML answers), API version 2011-01-01, signed by AWSSDK.Core: only
/// DescribeAutoScalingGroups, which names the launch template of a node group EKS made the template for. Node groups
/// are scaled through EKS (UpdateNodegroupConfig), never here.
/// </summary>
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
}
