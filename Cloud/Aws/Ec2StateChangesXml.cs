using static SpotOptimizer.Cloud.Aws.AwsXml;

namespace SpotOptimizer.Cloud.Aws;

/// <summary>
/// Reads a TerminateInstances, StopInstances or StartInstances answer: <c>instancesSet/item</c> with
/// <c>previousState</c> and <c>currentState</c>.
/// </summary>
internal static class Ec2StateChangesXml
{
    public static IReadOnlyList<InstanceStateChange> Parse(string xml, string operation) =>
        Entries(Child(Root(xml, operation), "instancesSet")).Select(item => new InstanceStateChange(
                Text(item, "instanceId") ?? throw Malformed(operation, "a change without instanceId"),
                Ec2InstancesXml.State(Text(Child(item, "previousState"), "name"), operation),
                Ec2InstancesXml.State(Text(Child(item, "currentState"), "name"), operation)))
            .ToList();
}
