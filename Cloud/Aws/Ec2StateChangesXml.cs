using static SpotOptimizer.Cloud.Aws.AwsXml;

namespace SpotOptimizer.Cloud.Aws;

/// <summary>Reads a TerminateInstances answer (<c>instancesSet/item</c> with <c>previousState</c> and <c>currentState</c>).</summary>
internal static class Ec2StateChangesXml
{
    public static IReadOnlyList<InstanceStateChange> Parse(string xml) =>
        Entries(Child(Root(xml, CloudActions.TerminateInstances), "instancesSet")).Select(item => new InstanceStateChange(
                Text(item, "instanceId") ?? throw Malformed(CloudActions.TerminateInstances, "a change without instanceId"),
                Ec2InstancesXml.State(Text(Child(item, "previousState"), "name"), CloudActions.TerminateInstances),
                Ec2InstancesXml.State(Text(Child(item, "currentState"), "name"), CloudActions.TerminateInstances)))
            .ToList();
}
