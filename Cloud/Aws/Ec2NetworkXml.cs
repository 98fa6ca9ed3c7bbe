using static SpotOptimizer.Cloud.Aws.AwsXml;

namespace SpotOptimizer.Cloud.Aws;

/// <summary>Reads DescribeAvailabilityZones (<c>availabilityZoneInfo/item</c>) and DescribeSubnets (<c>subnetSet/item</c>) answers.</summary>
internal static class Ec2NetworkXml
{
    public static IReadOnlyList<AvailabilityZone> ParseZones(string xml) =>
        [.. Entries(Child(Root(xml, CloudActions.DescribeAvailabilityZones), "availabilityZoneInfo"))
            .Select(z => new AvailabilityZone(
                Text(z, "zoneName") ?? throw Malformed(CloudActions.DescribeAvailabilityZones, "a zone without zoneName"),
                Text(z, "zoneId") ?? throw Malformed(CloudActions.DescribeAvailabilityZones, "a zone without zoneId")))];

    public static (IEnumerable<Subnet> Items, string? NextToken) ParseSubnets(string xml)
    {
        var root = Root(xml, CloudActions.DescribeSubnets);
        return (Entries(Child(root, "subnetSet")).Select(s => new Subnet(
            Text(s, "subnetId") ?? throw Malformed(CloudActions.DescribeSubnets, "a subnet without subnetId"),
            Text(s, "availabilityZone") ?? "",
            Text(s, "availabilityZoneId") ?? "")), NextToken(root));
    }
}
