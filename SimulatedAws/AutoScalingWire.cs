using System.Xml.Linq;
using SpotOptimizer.Cloud;
using static SpotOptimizer.SimulatedAws.QueryXml;

namespace SpotOptimizer.SimulatedAws;

/// <summary>
/// Auto Scaling (Query, Version 2011-01-01): DescribeAutoScalingGroups, the only Auto Scaling call the product makes
/// (node groups are scaled through EKS UpdateNodegroupConfig, which the customer's role is granted instead).
/// </summary>
internal static class AutoScalingWire
{
    private static readonly XNamespace Ns = AutoScalingNamespace;

    public static async Task<WireReply> HandleAsync(WireRequest request)
    {
        var session = request.RequireSession(AwsService.AutoScaling);
        var parameters = QueryParameters.Parse(request.Body);
        return parameters.Action switch
        {
            "DescribeAutoScalingGroups" => await DescribeAsync(request, session, parameters),
            var other => throw new AwsWireException(400, "InvalidAction", $"Could not find operation {other} for version 2011-01-01"),
        };
    }

    private static async Task<WireReply> DescribeAsync(WireRequest request, CloudSession session, QueryParameters parameters)
    {
        var size = parameters.Int("MaxRecords") ?? 50;
        if (size is < 1 or > 100) throw new AwsWireException(400, "ValidationError", "MaxRecords must be between 1 and 100.");
        var groups = await request.Cloud.AutoScaling.DescribeGroupsAsync(session, request.Region, parameters.List("AutoScalingGroupNames.member"), request.Aborted);
        var (page, next) = WirePaging.Page(groups, size, parameters.Get("NextToken"), message => new AwsWireException(400, "InvalidNextToken", message));
        // The groups' instances as the world holds them (zone, type): read directly, as Auto Scaling knows its own instances
        // without the caller's ec2:DescribeInstances.
        var instances = (request.Cloud.World.FindAccount(session.AccountId)?.FindRegion(request.Region)?.Instances ?? [])
            .Select(n => n.Instance).ToDictionary(i => i.InstanceId, StringComparer.Ordinal);
        return WireReply.Xml(200, Result(Ns, "DescribeAutoScalingGroups", request.RequestId,
            new XElement(Ns + "AutoScalingGroups", page.Select(g => Member(Group(g, session, request.Region, instances)))),
            next is null ? null : new XElement(Ns + "NextToken", next)));
    }

    private static XElement Member(params object?[] content) => new(Ns + "member", content);

    private static object?[] Group(AutoScalingGroup group, CloudSession session, string region, IReadOnlyDictionary<string, Ec2Instance> instances) =>
    [
        new XElement(Ns + "AutoScalingGroupName", group.Name),
        new XElement(Ns + "AutoScalingGroupARN",
            $"arn:aws:autoscaling:{region}:{session.AccountId}:autoScalingGroup:{GroupId(group.Name)}:autoScalingGroupName/{group.Name}"),
        Template(group),
        new XElement(Ns + "MinSize", Number(group.Capacity.MinSize)),
        new XElement(Ns + "MaxSize", Number(group.Capacity.MaxSize)),
        new XElement(Ns + "DesiredCapacity", Number(group.Capacity.DesiredSize)),
        new XElement(Ns + "DefaultCooldown", "300"),
        new XElement(Ns + "AvailabilityZones", group.AvailabilityZones.Select(z => Member(z))),
        new XElement(Ns + "LoadBalancerNames"),
        new XElement(Ns + "TargetGroupARNs"),
        new XElement(Ns + "HealthCheckType", "EC2"),
        new XElement(Ns + "HealthCheckGracePeriod", "15"),
        new XElement(Ns + "Instances", group.InstanceIds.Select(id => instances.TryGetValue(id, out var instance) ? instance : null).OfType<Ec2Instance>().Select(i => Member(
            new XElement(Ns + "InstanceId", i.InstanceId),
            new XElement(Ns + "InstanceType", i.InstanceType),
            new XElement(Ns + "AvailabilityZone", i.AvailabilityZone),
            new XElement(Ns + "LifecycleState", i.State switch
            {
                InstanceState.Pending => "Pending",
                InstanceState.Running => "InService",
                InstanceState.Stopping or InstanceState.Stopped => "Standby",
                _ => "Terminating",
            }),
            new XElement(Ns + "HealthStatus", "Healthy"),
            new XElement(Ns + "ProtectedFromScaleIn", "false")))),
        new XElement(Ns + "CreatedTime", Time(DateTimeOffset.UnixEpoch)),
        new XElement(Ns + "SuspendedProcesses"),
        new XElement(Ns + "EnabledMetrics"),
        new XElement(Ns + "Tags", group.Tags.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => Member(
            new XElement(Ns + "ResourceId", group.Name),
            new XElement(Ns + "ResourceType", "auto-scaling-group"),
            new XElement(Ns + "Key", t.Key),
            new XElement(Ns + "Value", t.Value),
            new XElement(Ns + "PropagateAtLaunch", "true")))),
        new XElement(Ns + "TerminationPolicies", Member("Default")),
        new XElement(Ns + "NewInstancesProtectedFromScaleIn", "false"),
        new XElement(Ns + "ServiceLinkedRoleARN",
            $"arn:aws:iam::{session.AccountId}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling"),
    ];

    /// <summary>
    /// The group's launch template as AWS answers: a plain <c>LaunchTemplate</c>, or (a group of several instance types)
    /// a <c>MixedInstancesPolicy</c> with it under <c>LaunchTemplate/LaunchTemplateSpecification</c> and one override per type.
    /// </summary>
    private static XElement? Template(AutoScalingGroup group)
    {
        if (group.LaunchTemplate is not { } template) return null;
        object[] specification =
        [
            new XElement(Ns + "LaunchTemplateId", template.Id),
            new XElement(Ns + "LaunchTemplateName", template.Name),
            new XElement(Ns + "Version", template.Version),
        ];
        if (group.MixedInstanceTypes.Count == 0) return new XElement(Ns + "LaunchTemplate", specification);
        return new XElement(Ns + "MixedInstancesPolicy",
            new XElement(Ns + "LaunchTemplate",
                new XElement(Ns + "LaunchTemplateSpecification", specification),
                new XElement(Ns + "Overrides", group.MixedInstanceTypes.Select(t => Member(new XElement(Ns + "InstanceType", t))))));
    }

    private static string GroupId(string name) =>
        WireIds.Uuid(name);
}
