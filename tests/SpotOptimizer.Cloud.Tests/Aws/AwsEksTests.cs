using System.Text.Json;

namespace SpotOptimizer.Cloud.Tests.Aws;

public sealed class AwsEksTests
{
    /// <summary>One cluster "prod-web" with node groups "system" (On-Demand) and "spot-general" (Spot); clusters listed over two pages.</summary>
    private static FakeResponse Eks(RecordedRequest r) => (r.Method, r.Path) switch
    {
        ("GET", "/eks/us-east-1/clusters") when r.Query.Contains("nextToken=page2", StringComparison.Ordinal) => AwsResponses.Json(200, """{"clusters":["prod-web"],"nextToken":null}"""),
        ("GET", "/eks/us-east-1/clusters") => AwsResponses.Json(200, """{"clusters":["staging"],"nextToken":"page2"}"""),
        ("GET", "/eks/us-east-1/clusters/prod-web") => AwsResponses.EksCluster("prod-web", "us-east-1"),
        ("GET", "/eks/us-east-1/clusters/staging") => AwsResponses.EksCluster("staging", "us-east-1"),
        ("GET", "/eks/us-east-1/clusters/prod-web/node-groups") => AwsResponses.Json(200, """{"nodegroups":["system","spot-general"]}"""),
        ("GET", "/eks/us-east-1/clusters/staging/node-groups") => AwsResponses.Json(200, """{"nodegroups":[]}"""),
        ("GET", "/eks/us-east-1/clusters/prod-web/node-groups/system") =>
            AwsResponses.EksNodegroup("prod-web", "system", "ON_DEMAND", ["m5.large"], 1, 4, 2, "eks-system-4ec5d1f2"),
        ("GET", "/eks/us-east-1/clusters/prod-web/node-groups/spot-general") =>
            AwsResponses.EksNodegroup("prod-web", "spot-general", "SPOT", ["m5.large", "c5.xlarge"], 0, 10, 3, "eks-spot-general-1"),
        ("POST", "/ec2/us-east-1/") => AwsResponses.DescribeInstances(null,
            [AwsResponses.Instance("i-0a1b2c3d4e5f60718", "m5.large", "us-east-1a", "running", "spot", "2026-02-27T08:15:42.000Z", "ip-10-0-1-23.ec2.internal",
                ("eks:cluster-name", "prod-web"), ("eks:nodegroup-name", "spot-general"))]),
        _ => AwsResponses.Json(404, """{"message":"No cluster found for name: missing."}""", "ResourceNotFoundException"),
    };

    [Fact]
    public async Task ListClusters_TwoPages_ReturnsAllNames()
    {
        await using var bed = await AwsTestBed.StartAsync();
        bed.Endpoint.Handler = Eks;

        var names = await bed.Cloud.Eks.ListClustersAsync(AwsTestBed.Session(), AwsTestBed.Region);

        Assert.Equal(["staging", "prod-web"], names);
        Assert.Equal(["?maxResults=100", "?maxResults=100&nextToken=page2"], bed.Endpoint.Requests.Select(r => r.Query));
    }

    [Fact]
    public async Task DescribeCluster_AwsShape_Parsed()
    {
        await using var bed = await AwsTestBed.StartAsync();
        bed.Endpoint.Handler = Eks;

        var cluster = await bed.Cloud.Eks.DescribeClusterAsync(AwsTestBed.Session(), AwsTestBed.Region, "prod-web");

        Assert.Equal(
            new EksCluster("prod-web", "arn:aws:eks:us-east-1:111122223333:cluster/prod-web", "1.31",
                "https://A0DCCD80A04F01705DD065655C30CC3D.gr7.us-east-1.eks.amazonaws.com", "ACTIVE", "us-east-1",
                DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123)),
            cluster);
        var auth = SigV4Reference.Parse(Assert.Single(bed.Endpoint.Requests).Header("Authorization"))!;
        Assert.Equal(("eks", "us-east-1"), (auth.Service, auth.Region));
    }

    [Fact]
    public async Task DescribeNodegroup_AwsShape_Parsed()
    {
        await using var bed = await AwsTestBed.StartAsync();
        bed.Endpoint.Handler = Eks;

        var nodegroup = await bed.Cloud.Eks.DescribeNodegroupAsync(AwsTestBed.Session(), AwsTestBed.Region, "prod-web", "spot-general");

        Assert.Equal(("spot-general", "prod-web", "ACTIVE", CapacityType.Spot), (nodegroup.Name, nodegroup.ClusterName, nodegroup.Status, nodegroup.CapacityType));
        Assert.Equal(["m5.large", "c5.xlarge"], nodegroup.InstanceTypes);
        Assert.Equal(new NodegroupScaling(0, 10, 3), nodegroup.Scaling);
        Assert.Equal(["eks-spot-general-1"], nodegroup.AutoScalingGroupNames);
    }

    [Fact]
    public async Task DescribeCluster_ResourceNotFound_ThrowsNotFound()
    {
        await using var bed = await AwsTestBed.StartAsync();
        bed.Endpoint.Handler = Eks;

        var error = await Assert.ThrowsAsync<CloudException>(() => bed.Cloud.Eks.DescribeClusterAsync(AwsTestBed.Session(), AwsTestBed.Region, "missing"));

        Assert.Equal((CloudErrorCodes.NotFound, "ResourceNotFoundException"), (error.Code, error.ProviderCode));
    }

    [Fact]
    public async Task ListClusters_AccessDenied_ThrowsMissingPermission()
    {
        await using var bed = await AwsTestBed.StartAsync();
        bed.Endpoint.Handler = _ => AwsResponses.EksAccessDenied("eks:ListClusters");

        var error = await Assert.ThrowsAsync<CloudException>(() => bed.Cloud.Eks.ListClustersAsync(AwsTestBed.Session(), AwsTestBed.Region));

        Assert.Equal("missing_permission:eks:ListClusters", error.Code);
    }

    [Fact]
    public async Task ScanAsync_ThroughAws_ClustersNodegroupsAndNodesAgree()
    {
        await using var bed = await AwsTestBed.StartAsync();
        bed.Endpoint.Handler = Eks;

        var inventory = await AccountInventory.ScanAsync(bed.Cloud, AwsTestBed.Session(), [AwsTestBed.Region]);

        var region = Assert.Single(inventory.Regions);
        Assert.Equal(["staging", "prod-web"], region.Clusters.Select(c => c.Cluster.Name));
        var prod = region.Clusters[1];
        Assert.Equal(["system", "spot-general"], prod.Nodegroups.Select(n => n.Name));
        var node = Assert.Single(prod.Nodes);
        Assert.Contains(prod.Nodegroups, n => n.Name == node.NodegroupName && n.CapacityType == CapacityType.Spot);
        Assert.Empty(region.Clusters[0].Nodes);
    }

    [Fact]
    public async Task UpdateNodegroupScaling_Live_PostsScalingConfig()
    {
        await using var bed = await AwsTestBed.StartAsync();
        bed.Endpoint.Handler = r => r.Method == "POST"
            ? AwsResponses.Json(200, """{"update":{"id":"ee708232-1234","status":"InProgress","type":"ConfigUpdate","params":[],"createdAt":1700000300.1,"errors":[]}}""")
            : Eks(r);

        var scaled = await bed.Cloud.Eks.UpdateNodegroupScalingAsync(AwsTestBed.Session(), AwsTestBed.Region, "prod-web", "system", new NodegroupScaling(0, 4, 0), dryRun: false,
            clientRequestToken: "5f2b0c9e-token");

        Assert.Equal((new NodegroupScaling(0, 4, 0), "UPDATING"), (scaled.Scaling, scaled.Status));
        var post = Assert.Single(bed.Endpoint.Requests, r => r.Method == "POST");
        Assert.Equal("/eks/us-east-1/clusters/prod-web/node-groups/system/update-config", post.Path);
        using var body = JsonDocument.Parse(post.BodyText);
        var config = body.RootElement.GetProperty("scalingConfig");
        Assert.Equal((0, 4, 0), (config.GetProperty("minSize").GetInt32(), config.GetProperty("maxSize").GetInt32(), config.GetProperty("desiredSize").GetInt32()));
        Assert.Equal("5f2b0c9e-token", body.RootElement.GetProperty("clientRequestToken").GetString());
    }

    [Fact]
    public async Task UpdateNodegroupScaling_DryRun_ChangesNothing()
    {
        await using var bed = await AwsTestBed.StartAsync();
        bed.Endpoint.Handler = Eks;

        var scaled = await bed.Cloud.Eks.UpdateNodegroupScalingAsync(AwsTestBed.Session(), AwsTestBed.Region, "prod-web", "system", new NodegroupScaling(0, 4, 0), dryRun: true);

        Assert.Equal(new NodegroupScaling(0, 4, 0), scaled.Scaling);
        Assert.DoesNotContain(bed.Endpoint.Requests, r => r.Method == "POST");
    }
}
