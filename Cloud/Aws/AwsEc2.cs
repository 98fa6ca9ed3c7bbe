using Amazon.EC2.Model;

namespace SpotOptimizer.Cloud.Aws;

/// <summary>EC2 inventory through AWSSDK.EC2: instances, availability zones, subnets.</summary>
internal sealed class AwsEc2(Ec2Api api, AwsCloudOptions options) : IEc2Inventory
{
    public Ec2Api Api { get; } = api;

    public Task<IReadOnlyList<Ec2Instance>> DescribeInstancesAsync(CloudSession session, string region, CancellationToken cancellationToken = default) =>
        Api.ListAsync(session, region, CloudActions.DescribeInstances,
            (ec2, token, t) => ec2.DescribeInstancesAsync(new DescribeInstancesRequest { MaxResults = options.DescribeInstancesPageSize, NextToken = token }, t),
            response => (Instances(response), response.NextToken), cancellationToken);

    /// <summary>
    /// The named instances. EC2 refuses <c>MaxResults</c> together with instance ids and answers them in one page;
    /// an unknown id fails the call (<c>InvalidInstanceID.NotFound</c>, so <see cref="CloudErrorCodes.NotFound"/>).
    /// </summary>
    public Task<IReadOnlyList<Ec2Instance>> DescribeInstancesAsync(CloudSession session, string region, IReadOnlyList<string> instanceIds,
        CancellationToken cancellationToken = default) =>
        Api.ListAsync(session, region, CloudActions.DescribeInstances,
            (ec2, token, t) => ec2.DescribeInstancesAsync(new DescribeInstancesRequest { InstanceIds = [.. instanceIds], NextToken = token }, t),
            response => (Instances(response), response.NextToken), cancellationToken);

    /// <summary>The zones the account can use (state available), with their IDs: the name ↔ ID mapping differs per account.</summary>
    public async Task<IReadOnlyList<AvailabilityZone>> DescribeAvailabilityZonesAsync(CloudSession session, string region, CancellationToken cancellationToken = default)
    {
        var response = await Api.CallAsync(session, region, CloudActions.DescribeAvailabilityZones,
            (ec2, t) => ec2.DescribeAvailabilityZonesAsync(new DescribeAvailabilityZonesRequest { Filters = [new Filter("state", ["available"])] }, t), cancellationToken);
        return (response.AvailabilityZones ?? [])
            .Select(z => new AvailabilityZone(
                z.ZoneName ?? throw Ec2Model.Malformed(CloudActions.DescribeAvailabilityZones, "a zone without zoneName"),
                z.ZoneId ?? throw Ec2Model.Malformed(CloudActions.DescribeAvailabilityZones, "a zone without zoneId")))
            .ToList();
    }

    /// <summary>EC2 refuses <c>MaxResults</c> together with subnet ids, so only a full listing (no ids) is paged.</summary>
    public Task<IReadOnlyList<Subnet>> DescribeSubnetsAsync(CloudSession session, string region, IReadOnlyList<string> subnetIds,
        CancellationToken cancellationToken = default) =>
        Api.ListAsync(session, region, CloudActions.DescribeSubnets,
            (ec2, token, t) => ec2.DescribeSubnetsAsync(subnetIds.Count == 0
                ? new DescribeSubnetsRequest { MaxResults = 1000, NextToken = token }
                : new DescribeSubnetsRequest { SubnetIds = [.. subnetIds], NextToken = token }, t),
            response => ((response.Subnets ?? []).Select(s => new Subnet(
                s.SubnetId ?? throw Ec2Model.Malformed(CloudActions.DescribeSubnets, "a subnet without subnetId"), s.AvailabilityZone ?? "", s.AvailabilityZoneId ?? "")),
                response.NextToken), cancellationToken);

    private static IEnumerable<Ec2Instance> Instances(DescribeInstancesResponse response) =>
        (response.Reservations ?? []).SelectMany(r => r.Instances ?? []).Select(i => Ec2Model.Instance(i, CloudActions.DescribeInstances)).ToList();
}
