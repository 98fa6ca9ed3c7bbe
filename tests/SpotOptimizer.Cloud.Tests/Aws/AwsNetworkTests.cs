namespace SpotOptimizer.Cloud.Tests.Aws;

/// <summary>Zones with their IDs, subnets, and a node group's launch template, in the shapes of the EC2 and EKS API references.</summary>
public sealed class AwsNetworkTests
{
    // DescribeAvailabilityZones, EC2 API reference example (trimmed to two zones).
    private const string Zones = """
        <DescribeAvailabilityZonesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
          <requestId>59dbff89-35bd-4eac-99ed-be587EXAMPLE</requestId>
          <availabilityZoneInfo>
            <item>
              <zoneName>us-east-1a</zoneName><zoneState>available</zoneState><regionName>us-east-1</regionName><messageSet/>
              <zoneId>use1-az4</zoneId><zoneType>availability-zone</zoneType><groupName>us-east-1</groupName>
            </item>
            <item>
              <zoneName>us-east-1b</zoneName><zoneState>available</zoneState><regionName>us-east-1</regionName><messageSet/>
              <zoneId>use1-az6</zoneId><zoneType>availability-zone</zoneType><groupName>us-east-1</groupName>
            </item>
          </availabilityZoneInfo>
        </DescribeAvailabilityZonesResponse>
        """;

    private static string Subnets(string? nextToken, params (string Id, string Zone, string ZoneId)[] subnets) => $"""
        <DescribeSubnetsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
          <requestId>7a62c49f-347e-4fc4-9331-6e8eEXAMPLE</requestId>
          <subnetSet>{string.Concat(subnets.Select(s => $"""
            <item>
              <subnetId>{s.Id}</subnetId><state>available</state><vpcId>vpc-0a60eb65b4EXAMPLE</vpcId><cidrBlock>10.0.1.0/24</cidrBlock>
              <availableIpAddressCount>251</availableIpAddressCount><availabilityZone>{s.Zone}</availabilityZone>
              <availabilityZoneId>{s.ZoneId}</availabilityZoneId><defaultForAz>false</defaultForAz><mapPublicIpOnLaunch>false</mapPublicIpOnLaunch>
            </item>
            """))}</subnetSet>{(nextToken is null ? "" : $"<nextToken>{nextToken}</nextToken>")}
        </DescribeSubnetsResponse>
        """;

    [Fact]
    public async Task DescribeAvailabilityZones_AwsShape_NamesWithIds_OnlyAvailableAsked()
    {
        await using var bed = await AwsTestBed.StartAsync();
        bed.Endpoint.Handler = _ => new FakeResponse(200, Zones);

        var zones = await bed.Cloud.Ec2.DescribeAvailabilityZonesAsync(AwsTestBed.Session(), AwsTestBed.Region);

        Assert.Equal([new AvailabilityZone("us-east-1a", "use1-az4"), new AvailabilityZone("us-east-1b", "use1-az6")], zones);
        var request = Assert.Single(bed.Endpoint.For("ec2"));
        Assert.Equal(("DescribeAvailabilityZones", "state", "available"), (request.Action, request.Form["Filter.1.Name"], request.Form["Filter.1.Value.1"]));
    }

    [Fact]
    public async Task DescribeSubnets_ByIds_OnePageWithoutMaxResults()
    {
        await using var bed = await AwsTestBed.StartAsync();
        bed.Endpoint.Handler = _ => new FakeResponse(200, Subnets(null, ("subnet-0a", "us-east-1a", "use1-az4"), ("subnet-0b", "us-east-1b", "use1-az6")));

        var subnets = await bed.Cloud.Ec2.DescribeSubnetsAsync(AwsTestBed.Session(), AwsTestBed.Region, ["subnet-0a", "subnet-0b"]);

        Assert.Equal([new Subnet("subnet-0a", "us-east-1a", "use1-az4"), new Subnet("subnet-0b", "us-east-1b", "use1-az6")], subnets);
        var request = Assert.Single(bed.Endpoint.For("ec2"));
        Assert.Equal(("subnet-0a", "subnet-0b"), (request.Form["SubnetId.1"], request.Form["SubnetId.2"]));
        Assert.False(request.Form.ContainsKey("MaxResults"));
    }

    [Fact]
    public async Task DescribeSubnets_All_FollowsNextToken()
    {
        await using var bed = await AwsTestBed.StartAsync();
        bed.Endpoint.Handler = r => new FakeResponse(200, r.Form.ContainsKey("NextToken")
            ? Subnets(null, ("subnet-0c", "us-east-1c", "use1-az1"))
            : Subnets("page2", ("subnet-0a", "us-east-1a", "use1-az4")));

        var subnets = await bed.Cloud.Ec2.DescribeSubnetsAsync(AwsTestBed.Session(), AwsTestBed.Region, []);

        Assert.Equal(["subnet-0a", "subnet-0c"], subnets.Select(s => s.SubnetId));
        Assert.Equal("page2", bed.Endpoint.For("ec2").Last().Form["NextToken"]);
    }

    [Fact]
    public async Task DescribeSubnets_UnknownId_NotFound()
    {
        await using var bed = await AwsTestBed.StartAsync();
        bed.Endpoint.Handler = _ => AwsResponses.Ec2Error(400, "InvalidSubnetID.NotFound", "The subnet ID 'subnet-0nope' does not exist");

        var error = await Assert.ThrowsAsync<CloudException>(() => bed.Cloud.Ec2.DescribeSubnetsAsync(AwsTestBed.Session(), AwsTestBed.Region, ["subnet-0nope"]));

        Assert.Equal((CloudErrorCodes.NotFound, "InvalidSubnetID.NotFound"), (error.Code, error.ProviderCode));
    }

    [Fact]
    public async Task DescribeNodegroup_CustomLaunchTemplate_AndSubnets_Parsed()
    {
        await using var bed = await AwsTestBed.StartAsync();
        bed.Endpoint.Handler = _ => AwsResponses.Json(200, """
            {"nodegroup":{"nodegroupName":"general","clusterName":"prod-web","status":"ACTIVE","capacityType":"ON_DEMAND",
             "scalingConfig":{"minSize":1,"maxSize":4,"desiredSize":2},"instanceTypes":["m5.xlarge"],"subnets":["subnet-0a","subnet-0b"],
             "launchTemplate":{"name":"prod-web-general","version":"3","id":"lt-0123456789abcdef0"},
             "resources":{"autoScalingGroups":[{"name":"eks-general-1"}]}}}
            """);

        var nodegroup = await bed.Cloud.Eks.DescribeNodegroupAsync(AwsTestBed.Session(), AwsTestBed.Region, "prod-web", "general");

        Assert.Equal(new LaunchTemplateRef("lt-0123456789abcdef0", "prod-web-general", "3"), nodegroup.LaunchTemplate);
        Assert.Equal(["subnet-0a", "subnet-0b"], nodegroup.Subnets);
    }

    [Fact]
    public async Task DescribeNodegroup_NoCustomTemplate_LaunchTemplateNull()
    {
        await using var bed = await AwsTestBed.StartAsync();
        bed.Endpoint.Handler = _ => AwsResponses.EksNodegroup("prod-web", "system", "ON_DEMAND", ["m5.large"], 1, 4, 2, "eks-system-1");

        var nodegroup = await bed.Cloud.Eks.DescribeNodegroupAsync(AwsTestBed.Session(), AwsTestBed.Region, "prod-web", "system");

        Assert.Null(nodegroup.LaunchTemplate);
        Assert.Equal(["subnet-0123"], nodegroup.Subnets);
    }
}
