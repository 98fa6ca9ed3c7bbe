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

    private static AutoScalingGroup Group(XElement member)
    {
        var mixed = Child(Child(member, "MixedInstancesPolicy"), "LaunchTemplate");
        return Described(member) with
        {
            // A group has one or the other: a plain LaunchTemplate, or a MixedInstancesPolicy whose template is one level down.
            LaunchTemplate = Template(Child(member, "LaunchTemplate")) ?? Template(Child(mixed, "LaunchTemplateSpecification")),
            MixedInstanceTypes = [.. Entries(Child(mixed, "Overrides")).Select(o => Text(o, "InstanceType")).OfType<string>()],
        };
    }

    /// <summary>Id or name (AWS answers with both; either is enough for CreateFleet); the version as given — a number, <c>$Latest</c> or <c>$Default</c>.</summary>
    private static LaunchTemplateRef? Template(XElement? specification) =>
        (Text(specification, "LaunchTemplateId"), Text(specification, "LaunchTemplateName")) switch
        {
            (null or "", null or "") => null,
            var (id, name) => new LaunchTemplateRef(id ?? "", name ?? "", Text(specification, "Version") is { Length: > 0 } version ? version : "$Default"),
        };

    private static AutoScalingGroup Described(XElement member) => new(
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
