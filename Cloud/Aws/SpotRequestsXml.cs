using System.Xml.Linq;
using static SpotOptimizer.Cloud.Aws.AwsXml;

namespace SpotOptimizer.Cloud.Aws;

/// <summary>A Spot request as far as interruptions need it: whose instance, which pool, which status since when.</summary>
internal sealed record SpotRequestStatus(string InstanceId, string InstanceType, string AvailabilityZone, string StatusCode, DateTimeOffset UpdateTime);

/// <summary>Reads a DescribeSpotInstanceRequests page (<c>spotInstanceRequestSet/item</c>).</summary>
internal static class SpotRequestsXml
{
    public static (IEnumerable<SpotRequestStatus> Requests, string? NextToken) ParsePage(string xml)
    {
        var root = Root(xml, CloudActions.DescribeSpotInstanceRequests);
        // A request that never launched has no instance, hence nothing to interrupt.
        var requests = Entries(Child(root, "spotInstanceRequestSet")).Where(item => Text(item, "instanceId") is { Length: > 0 }).Select(Request).ToList();
        return (requests, NextToken(root));
    }

    private static SpotRequestStatus Request(XElement item)
    {
        var status = Child(item, "status");
        var specification = Child(item, "launchSpecification");
        return new SpotRequestStatus(
            Text(item, "instanceId")!,
            Text(specification, "instanceType") ?? "",
            Text(item, "launchedAvailabilityZone") ?? Text(Child(specification, "placement"), "availabilityZone") ?? "",
            Text(status, "code") ?? "",
            Time(Text(status, "updateTime")) ?? throw Malformed(CloudActions.DescribeSpotInstanceRequests, "a status without updateTime"));
    }
}
