using System.Globalization;

namespace SpotOptimizer.Cloud.Aws;

/// <summary>EC2 over its Query API (form POST, XML answers), API version 2016-11-15.</summary>
internal sealed class AwsEc2(SignedAwsClient client, AwsCloudOptions options) : IEc2Inventory
{
    public const string ApiVersion = "2016-11-15";

    public AwsQueryApi Api { get; } = new(client, "ec2", ApiVersion, () => options.Endpoints.Ec2);

    public Task<IReadOnlyList<Ec2Instance>> DescribeInstancesAsync(CloudSession session, string region, CancellationToken cancellationToken = default) =>
        Api.ListAsync<Ec2Instance>(session, region, CloudActions.DescribeInstances,
            [new("MaxResults", options.DescribeInstancesPageSize.ToString(CultureInfo.InvariantCulture))], xml => Ec2InstancesXml.ParsePage(xml), cancellationToken);

    /// <summary>
    /// The named instances. EC2 refuses <c>MaxResults</c> together with instance ids and answers them in one page;
    /// an unknown id fails the call (<c>InvalidInstanceID.NotFound</c>, so <see cref="CloudErrorCodes.NotFound"/>).
    /// </summary>
    public Task<IReadOnlyList<Ec2Instance>> DescribeInstancesAsync(CloudSession session, string region, IReadOnlyList<string> instanceIds,
        CancellationToken cancellationToken) =>
        Api.ListAsync<Ec2Instance>(session, region, CloudActions.DescribeInstances,
            [.. AwsQueryApi.Indexed("InstanceId", instanceIds)], xml => Ec2InstancesXml.ParsePage(xml), cancellationToken);

    /// <summary>The zones the account can use (state available), with their IDs.</summary>
    public async Task<IReadOnlyList<AvailabilityZone>> DescribeAvailabilityZonesAsync(CloudSession session, string region, CancellationToken cancellationToken = default) =>
        Ec2NetworkXml.ParseZones(await Api.InvokeAsync(session, region, CloudActions.DescribeAvailabilityZones,
            [new("Filter.1.Name", "state"), new("Filter.1.Value.1", "available")], cancellationToken));

    /// <summary>EC2 refuses <c>MaxResults</c> together with subnet ids, so only a full listing is paged.</summary>
    public Task<IReadOnlyList<Subnet>> DescribeSubnetsAsync(CloudSession session, string region, IReadOnlyList<string> subnetIds,
        CancellationToken cancellationToken = default) =>
        Api.ListAsync(session, region, CloudActions.DescribeSubnets,
            subnetIds.Count == 0 ? [new("MaxResults", "1000")] : [.. AwsQueryApi.Indexed("SubnetId", subnetIds)], Ec2NetworkXml.ParseSubnets, cancellationToken);
}
