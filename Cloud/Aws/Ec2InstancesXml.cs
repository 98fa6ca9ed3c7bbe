using System.Xml.Linq;
using static SpotOptimizer.Cloud.Aws.AwsXml;

namespace SpotOptimizer.Cloud.Aws;

/// <summary>
/// Reads EC2 instance items: a DescribeInstances page (<c>reservationSet/item/instancesSet/item</c>) or a RunInstances
/// reservation (<c>instancesSet/item</c> at the root). Walks direct children only: network interfaces, block devices
/// and security groups nest their own <c>item</c>s and <c>tagSet</c>s.
/// </summary>
internal static class Ec2InstancesXml
{
    public static (IReadOnlyList<Ec2Instance> Instances, string? NextToken) ParsePage(string xml)
    {
        var root = Root(xml, CloudActions.DescribeInstances);
        var instances = Entries(Child(root, "reservationSet"))
            .SelectMany(r => Entries(Child(r, "instancesSet")))
            .Select(i => Instance(i, CloudActions.DescribeInstances))
            .ToList();
        return (instances, NextToken(root));
    }

    /// <summary>The instances a RunInstances answer reports (the launch, or the first launch for a repeated client token).</summary>
    public static IReadOnlyList<Ec2Instance> ParseReservation(string xml) =>
        Entries(Child(Root(xml, CloudActions.RunInstances), "instancesSet")).Select(i => Instance(i, CloudActions.RunInstances)).ToList();

    public static InstanceState State(string? name, string operation) => name switch
    {
        "pending" => InstanceState.Pending,
        "running" => InstanceState.Running,
        "shutting-down" => InstanceState.ShuttingDown,
        "terminated" => InstanceState.Terminated,
        "stopping" => InstanceState.Stopping,
        "stopped" => InstanceState.Stopped,
        _ => throw Malformed(operation, $"unknown instance state '{name}'"),
    };

    private static Ec2Instance Instance(XElement item, string operation)
    {
        var tags = Entries(Child(item, "tagSet"))
            .Select(t => (Key: Text(t, "key"), Value: Text(t, "value") ?? ""))
            .Where(t => t.Key is not null)
            .ToDictionary(t => t.Key!, t => t.Value, StringComparer.Ordinal);
        return new Ec2Instance(
            Text(item, "instanceId") ?? throw Malformed(operation, "an instance without instanceId"),
            Text(item, "instanceType") ?? "",
            Text(Child(item, "placement"), "availabilityZone") ?? "",
            Text(item, "instanceLifecycle") == "spot" ? InstanceLifecycle.Spot : InstanceLifecycle.OnDemand,
            State(Text(Child(item, "instanceState"), "name"), operation),
            Time(Text(item, "launchTime")) ?? default,
            Text(item, "privateDnsName") ?? "",
            tags)
        {
            RootDeviceName = Text(item, "rootDeviceName"),
        };
    }
}
