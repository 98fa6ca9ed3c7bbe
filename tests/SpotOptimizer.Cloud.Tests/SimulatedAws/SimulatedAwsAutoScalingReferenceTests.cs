using System.Net;
using System.Xml.Linq;
using static SpotOptimizer.Cloud.Tests.SimulatedAws.ReferenceWire;

namespace SpotOptimizer.Cloud.Tests.SimulatedAws;

/// <summary>
/// The simulator's raw Auto Scaling answers held to AWS's example (<see cref="AutoScalingReferenceExamples"/>) and to
/// the Query protocol's error document: node groups' Auto Scaling groups, with a launch template or a mixed instances
/// policy, read as AWSSDK.Core-signed Query calls read them.
/// </summary>
public sealed class SimulatedAwsAutoScalingReferenceTests
{
    private const string Group = "DescribeAutoScalingGroupsResponse/DescribeAutoScalingGroupsResult/AutoScalingGroups/member";

    [Fact]
    public async Task DescribeAutoScalingGroups_LaunchTemplateAndMixedInstances_ElementsAsInTheReference()
    {
        await using var host = await SimulatedAwsHost.StartAsync();
        var credentials = (await host.AssumeRoleAsync()).Credentials;

        // Every group of the demo account: one of them runs several instance types under a mixed instances policy.
        var answer = await QueryAsync(host, credentials, "autoscaling", ["Action=DescribeAutoScalingGroups"]);

        AssertShape(AutoScalingReferenceExamples.DescribeAutoScalingGroups(), answer,
            $"{Group}/AutoScalingGroupName", $"{Group}/MinSize", $"{Group}/MaxSize", $"{Group}/DesiredCapacity",
            $"{Group}/AvailabilityZones/member", $"{Group}/Instances/member/InstanceId", $"{Group}/Tags/member/Key", $"{Group}/Tags/member/Value",
            $"{Group}/LaunchTemplate/LaunchTemplateId", $"{Group}/LaunchTemplate/LaunchTemplateName", $"{Group}/LaunchTemplate/Version",
            $"{Group}/MixedInstancesPolicy/LaunchTemplate/LaunchTemplateSpecification/LaunchTemplateId",
            $"{Group}/MixedInstancesPolicy/LaunchTemplate/Overrides/member/InstanceType");
    }

    [Fact]
    public async Task Error_QueryErrorDocument()
    {
        await using var host = await SimulatedAwsHost.StartAsync();
        var credentials = (await host.AssumeRoleAsync()).Credentials;

        // The only Auto Scaling call the product makes, with a page size Auto Scaling refuses.
        var answer = await QueryAsync(host, credentials, "autoscaling", ["Action=DescribeAutoScalingGroups", "MaxRecords=0"], HttpStatusCode.BadRequest);

        // The Query protocol's document, as STS's (SimulatedAwsReferenceTests.Errors_EachProtocolsDocument), in Auto Scaling's namespace.
        var error = XDocument.Parse(answer).Root!;
        Assert.Equal(XName.Get("ErrorResponse", "http://autoscaling.amazonaws.com/doc/2011-01-01/"), error.Name);
        Assert.Equal(["ErrorResponse/Error/Type", "ErrorResponse/Error/Code", "ErrorResponse/Error/Message", "ErrorResponse/RequestId"], Leaves(error));
        Assert.Equal(("Sender", "ValidationError"),
            (error.Descendants().Single(e => e.Name.LocalName == "Type").Value, error.Descendants().Single(e => e.Name.LocalName == "Code").Value));
    }
}
