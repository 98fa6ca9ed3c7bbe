using System.Globalization;
using System.Xml.Linq;

namespace SpotOptimizer.Cloud.Aws;

/// <summary>
/// Reads a DescribeInstances page (<c>reservationSet/item/instancesSet/item</c>). Walks direct children only:
/// network interfaces, block devices and security groups nest their own <c>item</c>s and <c>tagSet</c>s.
/// </summary>
internal static class Ec2InstancesXml
{
    public static (IReadOnlyList<Ec2Instance> Instances, string? NextToken) ParsePage(string xml)
    {
        XElement root;
        try
        {
            root = XDocument.Parse(xml).Root ?? throw Malformed("empty document");
        }
        catch (System.Xml.XmlException e)
        {
            throw Malformed(e.Message);
        }

        var instances = Child(root, "reservationSet")?.Elements().Where(e => e.Name.LocalName == "item")
            .Select(r => Child(r, "instancesSet"))
            .OfType<XElement>()
            .SelectMany(set => set.Elements().Where(e => e.Name.LocalName == "item"))
            .Select(Instance)
            .ToList() ?? [];
        var next = Child(root, "nextToken")?.Value;
        return (instances, string.IsNullOrEmpty(next) ? null : next);
    }

    private static Ec2Instance Instance(XElement item)
    {
        var tags = Child(item, "tagSet")?.Elements().Where(e => e.Name.LocalName == "item")
            .Select(t => (Key: Text(t, "key"), Value: Text(t, "value") ?? ""))
            .Where(t => t.Key is not null)
            .ToDictionary(t => t.Key!, t => t.Value, StringComparer.Ordinal) ?? [];
        return new Ec2Instance(
            Text(item, "instanceId") ?? throw Malformed("an instance without instanceId"),
            Text(item, "instanceType") ?? "",
            Text(Child(item, "placement"), "availabilityZone") ?? "",
            Text(item, "instanceLifecycle") == "spot" ? InstanceLifecycle.Spot : InstanceLifecycle.OnDemand,
            State(Text(Child(item, "instanceState"), "name")),
            DateTimeOffset.TryParse(Text(item, "launchTime"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var launched) ? launched : default,
            Text(item, "privateDnsName") ?? "",
            tags);
    }

    private static InstanceState State(string? name) => name switch
    {
        "pending" => InstanceState.Pending,
        "running" => InstanceState.Running,
        "shutting-down" => InstanceState.ShuttingDown,
        "terminated" => InstanceState.Terminated,
        "stopping" => InstanceState.Stopping,
        "stopped" => InstanceState.Stopped,
        _ => throw Malformed($"unknown instance state '{name}'"),
    };

    private static XElement? Child(XElement? parent, string name) => parent?.Elements().FirstOrDefault(e => e.Name.LocalName == name);

    private static string? Text(XElement? parent, string name) => Child(parent, name)?.Value;

    private static CloudException Malformed(string detail) =>
        new(CloudErrorCodes.CloudError, $"Unreadable DescribeInstances response: {detail}.") { Operation = CloudActions.DescribeInstances };
}
