using System.Net;
using System.Text;
using System.Xml.Linq;
using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Signing;
using SpotOptimizer.Cloud.Simulation;
using SpotOptimizer.Cloud.Tests.Aws;

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

        var stop = await SendAsync(host, credentials, "ec2", ["Action=StopInstances", $"InstanceId.1={running}"]);
        host.Clock.Advance(new SimulatedCloudOptions().StopTime);
        var start = await SendAsync(host, credentials, "ec2", ["Action=StartInstances", $"InstanceId.1={running}"]);
        var terminate = await SendAsync(host, credentials, "ec2", ["Action=TerminateInstances", $"InstanceId.1={running}"]);

        AssertShape(Ec2ReferenceExamples.StopInstances(), stop);
        AssertShape(Ec2ReferenceExamples.StartInstances(), start);
        AssertShape(WireReferenceExamples.TerminateInstances(), terminate);
    }

    [Fact]
    public async Task VolumesAndPrices_ElementsAsInTheReference()
    {
        await using var host = await SimulatedAwsHost.StartAsync();
        var credentials = (await host.AssumeRoleAsync()).Credentials;
        var instance = Nodes(host).First(n => n.Instance.State == InstanceState.Running).Instance;
        var attached = new SimulatedVolume("vol-0a1b2c3d4e5f60718", instance.AvailabilityZone,
            new VolumeAttachment("vol-0a1b2c3d4e5f60718", instance.InstanceId, "/dev/sdf", VolumeAttachmentState.Attached));
        host.Cloud.Update(world => world.UpdateRegion(SimulatedWorld.DemoAccountId, SimulatedAwsHost.Region, r => r.WithVolume(attached)));

        var describe = await SendAsync(host, credentials, "ec2", ["Action=DescribeVolumes", $"VolumeId.1={attached.VolumeId}"]);
        var detach = await SendAsync(host, credentials, "ec2", ["Action=DetachVolume", $"VolumeId={attached.VolumeId}"]);
        var prices = await SendAsync(host, credentials, "ec2", ["Action=DescribeSpotPriceHistory", "InstanceType.1=m5.large", "ProductDescription.1=Linux%2FUNIX"]);

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

        var zones = await SendAsync(host, credentials, "ec2", ["Action=GetSpotPlacementScores", "InstanceType.1=m5.large", "InstanceType.2=m5.xlarge",
            "InstanceType.3=c5.xlarge", "TargetCapacity=4", "SingleAvailabilityZone=true", $"RegionName.1={SimulatedAwsHost.Region}", "MaxResults=10"]);
        var region = await SendAsync(host, credentials, "ec2", ["Action=GetSpotPlacementScores", "InstanceType.1=m5.large", "InstanceType.2=m5.xlarge",
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

        var assume = await SendAsync(host, platform, "sts",
            ["Action=AssumeRole", "Version=2011-06-15", $"RoleArn={Uri.EscapeDataString(host.RoleArn)}", "RoleSessionName=shape", $"ExternalId={SimulatedAwsHost.ExternalId}"]);
        var identity = await SendAsync(host, platform, "sts", ["Action=GetCallerIdentity", "Version=2011-06-15"]);

        AssertShape(WireReferenceExamples.AssumeRole(), assume);
        AssertShape(WireReferenceExamples.GetCallerIdentity(), identity);
    }

    [Fact]
    public async Task Errors_EachProtocolsDocument()
    {
        await using var host = await SimulatedAwsHost.StartAsync();
        var credentials = (await host.AssumeRoleAsync()).Credentials;

        var ec2 = await SendAsync(host, credentials, "ec2", ["Action=TerminateInstances", "InstanceId.1=i-0000000000000dead"], HttpStatusCode.BadRequest);
        var sts = await SendAsync(host, credentials, "sts", ["Action=Nonsense", "Version=2011-06-15"], HttpStatusCode.BadRequest);

        AssertShape(AwsResponses.Ec2Error(400, "InvalidInstanceID.NotFound", "x"), ec2);
        Assert.Equal("InvalidInstanceID.NotFound", XDocument.Parse(ec2).Descendants("Code").Single().Value);
        var stsError = XDocument.Parse(sts).Root!;
        Assert.Equal(["ErrorResponse/Error/Type", "ErrorResponse/Error/Code", "ErrorResponse/Error/Message", "ErrorResponse/RequestId"], Leaves(stsError));
        Assert.Equal("Sender", stsError.Descendants().Single(e => e.Name.LocalName == "Type").Value);
    }

    /// <summary>Every element path of <paramref name="actual"/> is one of the reference's (repeated list items count once).</summary>
    private static void AssertShape(FakeResponse reference, string actual)
    {
        var expected = Paths(XDocument.Parse(reference.Body).Root!);
        var paths = Paths(XDocument.Parse(actual).Root!);
        Assert.Equal(XDocument.Parse(reference.Body).Root!.Name, XDocument.Parse(actual).Root!.Name);
        Assert.Empty(paths.Except(expected));
        Assert.True(paths.Count >= expected.Count / 2, $"the answer has {paths.Count} of the reference's {expected.Count} elements");
    }

    private static HashSet<string> Paths(XElement root) =>
        root.DescendantsAndSelf().Select(e => string.Join('/', e.AncestorsAndSelf().Reverse().Select(a => a.Name.LocalName))).ToHashSet(StringComparer.Ordinal);

    private static List<string> Leaves(XElement root) =>
        [.. root.Descendants().Where(e => !e.HasElements).Select(e => string.Join('/', e.AncestorsAndSelf().Reverse().Select(a => a.Name.LocalName)))];

    private static IReadOnlyList<SimulatedNode> Nodes(SimulatedAwsHost host) =>
        host.Cloud.World.FindAccount(SimulatedWorld.DemoAccountId)!.FindRegion(SimulatedAwsHost.Region)!.Instances;

    /// <summary>A Query-protocol form POST signed with SigV4 by AWSSDK.Core, the raw answer returned.</summary>
    private static async Task<string> SendAsync(SimulatedAwsHost host, AWSCredentials credentials, string service, string[] form,
        HttpStatusCode expected = HttpStatusCode.OK)
    {
        var body = Encoding.UTF8.GetBytes(string.Join('&', form.Append(service == "ec2" ? "Version=2016-11-15" : "").Where(p => p.Length > 0).Distinct()));
        var uri = new Uri(host.ServiceUrl(service));
        const string ContentType = "application/x-www-form-urlencoded; charset=utf-8";
        var signing = new AWSSigningRequest { HttpMethod = HttpMethod.Post, RequestUri = uri, Content = body };
        signing.Headers["Content-Type"] = ContentType;
        var signed = await AWSSigV4Signer.SignAsync(signing, new AWSSigV4Parameters
        {
            Credentials = credentials, Region = RegionEndpoint.GetBySystemName(SimulatedAwsHost.Region), Service = service, SignedAt = DateTime.UtcNow,
        });
        using var message = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new ByteArrayContent(body) };
        message.Content.Headers.TryAddWithoutValidation("Content-Type", ContentType);
        foreach (var (name, value) in signed.Headers) message.Headers.TryAddWithoutValidation(name, value);
        using var http = new HttpClient();
        using var response = await http.SendAsync(message);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"{response.StatusCode}: {text}");
        return text;
    }
}
