using System.Net;
using System.Xml.Linq;
using Amazon.Runtime;
using SpotOptimizer.Cloud.Simulation;
using SpotOptimizer.Cloud.Tests.Aws;
using static SpotOptimizer.Cloud.Tests.SimulatedAws.ReferenceWire;

namespace SpotOptimizer.Cloud.Tests.SimulatedAws;

/// <summary>
/// The simulator's raw answers against the response examples of AWS's API references: every element it writes must
/// stand where the reference puts an element of that name (names and nesting compared, values not), so the
/// simulator cannot drift from AWS's shapes. Also the error documents of each protocol.
/// </summary>
public sealed class SimulatedAwsReferenceTests
{
    [Fact]
    public async Task StopStartAndTerminate_ElementsAsInTheReference()
    {
        await using var host = await SimulatedAwsHost.StartAsync();
        var credentials = (await host.AssumeRoleAsync()).Credentials;
        var running = Nodes(host).First(n => n.Instance.State == InstanceState.Running && n.Instance.RootDeviceName is not null).Instance.InstanceId;

        var stop = await QueryAsync(host, credentials, "ec2", ["Action=StopInstances", $"InstanceId.1={running}"]);
        host.Clock.Advance(new SimulatedCloudOptions().StopTime);
        var start = await QueryAsync(host, credentials, "ec2", ["Action=StartInstances", $"InstanceId.1={running}"]);
        var terminate = await QueryAsync(host, credentials, "ec2", ["Action=TerminateInstances", $"InstanceId.1={running}"]);

        AssertShape(Ec2ReferenceExamples.StopInstances(), stop);
        AssertShape(Ec2ReferenceExamples.StartInstances(), start);
        AssertShape(WireReferenceExamples.TerminateInstances(), terminate);
    }

    [Fact]
    public async Task VolumesAndPrices_ElementsAsInTheReference()
    {
        // A role granted prices as well: the customer's is not (the platform reads them with its own identity).
        await using var host = await SimulatedAwsHost.StartAsync(RequiredPermissions.Actions.Append(CloudActions.DescribeSpotPriceHistory));
        var credentials = (await host.AssumeRoleAsync()).Credentials;
        var instance = Nodes(host).First(n => n.Instance.State == InstanceState.Running).Instance;
        var attached = new SimulatedVolume("vol-0a1b2c3d4e5f60718", instance.AvailabilityZone,
            new VolumeAttachment("vol-0a1b2c3d4e5f60718", instance.InstanceId, "/dev/sdf", VolumeAttachmentState.Attached));
        host.Cloud.Update(world => world.UpdateRegion(SimulatedWorld.DemoAccountId, SimulatedAwsHost.Region, r => r.WithVolume(attached)));

        var describe = await QueryAsync(host, credentials, "ec2", ["Action=DescribeVolumes", $"VolumeId.1={attached.VolumeId}"]);
        var detach = await QueryAsync(host, credentials, "ec2", ["Action=DetachVolume", $"VolumeId={attached.VolumeId}"]);
        var prices = await QueryAsync(host, credentials, "ec2", ["Action=DescribeSpotPriceHistory", "InstanceType.1=m5.large", "ProductDescription.1=Linux%2FUNIX"]);

        AssertShape(Ec2ReferenceExamples.DescribeVolumes(), describe);
        // DetachVolume's answer is AttachVolume's shape (both a VolumeAttachment).
        AssertShape(Ec2ReferenceExamples.AttachVolume(), detach.Replace("DetachVolumeResponse", "AttachVolumeResponse", StringComparison.Ordinal));
        AssertShape(WireReferenceExamples.DescribeSpotPriceHistory(), prices);
    }

    [Fact]
    public async Task PlacementScores_ElementsAsInTheReference()
    {
        await using var host = await SimulatedAwsHost.StartAsync();
        var credentials = (await host.AssumeRoleAsync()).Credentials;

        var zones = await QueryAsync(host, credentials, "ec2", ["Action=GetSpotPlacementScores", "InstanceType.1=m5.large", "InstanceType.2=m5.xlarge",
            "InstanceType.3=c5.xlarge", "TargetCapacity=4", "SingleAvailabilityZone=true", $"RegionName.1={SimulatedAwsHost.Region}", "MaxResults=10"]);
        var region = await QueryAsync(host, credentials, "ec2", ["Action=GetSpotPlacementScores", "InstanceType.1=m5.large", "InstanceType.2=m5.xlarge",
            "InstanceType.3=c5.xlarge", "TargetCapacity=4"]);

        AssertShape(WireReferenceExamples.GetSpotPlacementScores(), zones);
        AssertShape(WireReferenceExamples.GetSpotPlacementScores(), region);
        Assert.NotEmpty(XDocument.Parse(zones).Descendants(XName.Get("availabilityZoneId", "http://ec2.amazonaws.com/doc/2016-11-15/")));
        Assert.Empty(XDocument.Parse(region).Descendants(XName.Get("availabilityZoneId", "http://ec2.amazonaws.com/doc/2016-11-15/")));
    }

    [Fact]
    public async Task Sts_ElementsAsInTheReference()
    {
        await using var host = await SimulatedAwsHost.StartAsync();
        var platform = new BasicAWSCredentials(host.Platform.AccessKeyId, host.Platform.SecretAccessKey);

        var assume = await QueryAsync(host, platform, "sts",
            ["Action=AssumeRole", "Version=2011-06-15", $"RoleArn={Uri.EscapeDataString(host.RoleArn)}", "RoleSessionName=shape", $"ExternalId={SimulatedAwsHost.ExternalId}"]);
        var identity = await QueryAsync(host, platform, "sts", ["Action=GetCallerIdentity", "Version=2011-06-15"]);

        AssertShape(WireReferenceExamples.AssumeRole(), assume);
        AssertShape(WireReferenceExamples.GetCallerIdentity(), identity);
    }

    [Fact]
    public async Task Errors_EachProtocolsDocument()
    {
        await using var host = await SimulatedAwsHost.StartAsync();
        var credentials = (await host.AssumeRoleAsync()).Credentials;

        var ec2 = await QueryAsync(host, credentials, "ec2", ["Action=TerminateInstances", "InstanceId.1=i-0000000000000dead"], HttpStatusCode.BadRequest);
        var sts = await QueryAsync(host, credentials, "sts", ["Action=Nonsense", "Version=2011-06-15"], HttpStatusCode.BadRequest);

        AssertShape(AwsResponses.Ec2Error(400, "InvalidInstanceID.NotFound", "x"), ec2);
        Assert.Equal("InvalidInstanceID.NotFound", XDocument.Parse(ec2).Descendants("Code").Single().Value);
        var stsError = XDocument.Parse(sts).Root!;
        Assert.Equal(["ErrorResponse/Error/Type", "ErrorResponse/Error/Code", "ErrorResponse/Error/Message", "ErrorResponse/RequestId"], Leaves(stsError));
        Assert.Equal("Sender", stsError.Descendants().Single(e => e.Name.LocalName == "Type").Value);
    }

    private static IReadOnlyList<SimulatedNode> Nodes(SimulatedAwsHost host) =>
        host.Cloud.World.FindAccount(SimulatedWorld.DemoAccountId)!.FindRegion(SimulatedAwsHost.Region)!.Instances;
}
