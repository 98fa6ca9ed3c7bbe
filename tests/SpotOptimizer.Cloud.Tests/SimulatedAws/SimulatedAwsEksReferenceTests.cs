using System.Net;
using System.Text.Json;
using SpotOptimizer.Cloud.Simulation;
using static SpotOptimizer.Cloud.Tests.SimulatedAws.ReferenceWire;

namespace SpotOptimizer.Cloud.Tests.SimulatedAws;

/// <summary>
/// The simulator's raw EKS answers (REST/JSON) held to AWS's examples (<see cref="EksReferenceExamples"/>): every
/// property it writes has AWS's name, JSON type and place, and every property the product reads is there. The
/// simulator serves a subset of AWS's members: the ones the product reads (name, ARN, version, endpoint, status,
/// creation time of a cluster; a node group's scaling, types, capacity type, subnets, Auto Scaling groups and launch
/// template) and a few that every answer of AWS's carries (platformVersion, amiType, tags); the rest (networking,
/// logging, identity, health, labels, …) the product never reads.
/// </summary>
public sealed class SimulatedAwsEksReferenceTests
{
    private static readonly string[] Maps = ["tags", "labels"];

    [Fact]
    public async Task ClustersAndNodegroups_PropertiesAsInTheReference()
    {
        await using var host = await SimulatedAwsHost.StartAsync();
        var credentials = (await host.AssumeRoleAsync()).Credentials;
        var cluster = host.Cloud.World.FindAccount(SimulatedWorld.DemoAccountId)!.FindRegion(SimulatedAwsHost.Region)!.Clusters[0].Cluster;

        var clusters = await OkAsync(host, credentials, HttpMethod.Get, "clusters");
        var described = await OkAsync(host, credentials, HttpMethod.Get, $"clusters/{cluster.Name}");
        var nodegroups = await OkAsync(host, credentials, HttpMethod.Get, $"clusters/{cluster.Name}/node-groups");
        var nodegroup = JsonDocument.Parse(nodegroups).RootElement.GetProperty("nodegroups")[0].GetString();
        var group = await OkAsync(host, credentials, HttpMethod.Get, $"clusters/{cluster.Name}/node-groups/{nodegroup}");

        AssertJsonShape(EksReferenceExamples.ListClusters, clusters, ["$.clusters[]"], Maps);
        AssertJsonShape(EksReferenceExamples.DescribeCluster, described,
            ["$.cluster.name", "$.cluster.arn", "$.cluster.version", "$.cluster.endpoint", "$.cluster.status", "$.cluster.createdAt"], Maps);
        AssertJsonShape(EksReferenceExamples.ListNodegroups, nodegroups, ["$.nodegroups[]"], Maps);
        AssertJsonShape(EksReferenceExamples.DescribeNodegroup, group,
        [
            "$.nodegroup.nodegroupName", "$.nodegroup.clusterName", "$.nodegroup.status", "$.nodegroup.capacityType",
            "$.nodegroup.scalingConfig.minSize", "$.nodegroup.scalingConfig.maxSize", "$.nodegroup.scalingConfig.desiredSize",
            "$.nodegroup.instanceTypes[]", "$.nodegroup.subnets[]", "$.nodegroup.resources.autoScalingGroups[].name",
        ], Maps);
    }

    [Fact]
    public async Task UpdateNodegroupConfig_UpdateAsInTheReference()
    {
        await using var host = await SimulatedAwsHost.StartAsync();
        var credentials = (await host.AssumeRoleAsync()).Credentials;
        var cluster = host.Cloud.World.FindAccount(SimulatedWorld.DemoAccountId)!.FindRegion(SimulatedAwsHost.Region)!.Clusters[0].Cluster;
        var nodegroup = JsonDocument.Parse(await OkAsync(host, credentials, HttpMethod.Get, $"clusters/{cluster.Name}/node-groups"))
            .RootElement.GetProperty("nodegroups")[0].GetString();

        var update = await OkAsync(host, credentials, HttpMethod.Post, $"clusters/{cluster.Name}/node-groups/{nodegroup}/update-config",
            """{"scalingConfig":{"minSize":1,"maxSize":5,"desiredSize":2}}""");

        AssertJsonShape(EksReferenceExamples.UpdateNodegroupConfig, update,
            ["$.update.id", "$.update.status", "$.update.type", "$.update.params[].type", "$.update.params[].value", "$.update.createdAt", "$.update.errors"]);
    }

    [Fact]
    public async Task Error_NotFound_MessageAndErrorTypeHeader()
    {
        await using var host = await SimulatedAwsHost.StartAsync();
        var credentials = (await host.AssumeRoleAsync()).Credentials;

        var answer = await SendAsync(host, credentials, "eks", HttpMethod.Get, "clusters/no-such-cluster");

        // EKS's error: the model's ResourceNotFoundException (HTTP 404; members clusterName, nodegroupName,
        // fargateProfileName, addonName, subscriptionId, message, all strings), its name in x-amzn-ErrorType.
        Assert.Equal(HttpStatusCode.NotFound, answer.Status);
        Assert.Equal("ResourceNotFoundException", answer.Headers["x-amzn-ErrorType"]);
        var members = JsonDocument.Parse(answer.Body).RootElement.EnumerateObject().ToList();
        Assert.Contains(members, m => m.Name == "message" && m.Value.ValueKind == JsonValueKind.String);
        Assert.All(members, m => Assert.Contains(m.Name, new[] { "clusterName", "nodegroupName", "fargateProfileName", "addonName", "subscriptionId", "message" }));
    }

    private static async Task<string> OkAsync(SimulatedAwsHost host, Amazon.Runtime.AWSCredentials credentials, HttpMethod method, string path, string? body = null)
    {
        var answer = await SendAsync(host, credentials, "eks", method, path, body, body is null ? null : "application/json");
        Assert.True(answer.Status == HttpStatusCode.OK, $"{answer.Status}: {answer.Body}");
        Assert.StartsWith("application/json", answer.Headers["Content-Type"], StringComparison.Ordinal);
        return answer.Body;
    }
}
