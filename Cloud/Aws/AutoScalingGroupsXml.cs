using System.Xml.Linq;
using static SpotOptimizer.Cloud.Aws.AwsXml;

namespace SpotOptimizer.Cloud.Aws;

/// <summary>
/// Reads a DescribeAutoScalingGroups page (<c>DescribeAutoScalingGroupsResult/AutoScalingGroups/member</c>). Auto
/// Scaling answers in its own namespace with PascalCase names; <see cref="AwsXml"/> matches local names only.
/// </summary>
internal static class AutoScalingGroupsXml
{
    public static (IEnumerable<AutoScalingGroup> Groups, string? NextToken) ParsePage(string xml)
    {
        var result = Child(Root(xml, CloudActions.DescribeAutoScalingGroups), "DescribeAutoScalingGroupsResult");
        return (Entries(Child(result, "AutoScalingGroups")).Select(Group).ToList(), NextToken(result, "NextToken"));
    }

    private static AutoScalingGroup Group(XElement member) => new(
        Text(member, "AutoScalingGroupName") ?? throw Malformed(CloudActions.DescribeAutoScalingGroups, "a group without AutoScalingGroupName"),
        new NodegroupScaling(
            Int(member, "MinSize", CloudActions.DescribeAutoScalingGroups),
            Int(member, "MaxSize", CloudActions.DescribeAutoScalingGroups),
            Int(member, "DesiredCapacity", CloudActions.DescribeAutoScalingGroups)),
        Entries(Child(member, "Instances")).Select(i => Text(i, "InstanceId")).OfType<string>().ToList(),
        Entries(Child(member, "AvailabilityZones")).Select(z => z.Value).ToList(),
        Entries(Child(member, "Tags"))
            .Select(t => (Key: Text(t, "Key"), Value: Text(t, "Value") ?? ""))
            .Where(t => t.Key is not null)
            .ToDictionary(t => t.Key!, t => t.Value, StringComparer.Ordinal));
}
