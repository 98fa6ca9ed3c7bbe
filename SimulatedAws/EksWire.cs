using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using SpotOptimizer.Cloud;

namespace SpotOptimizer.SimulatedAws;

/// <summary>
/// EKS (REST/JSON): ListClusters, DescribeCluster, ListNodegroups, DescribeNodegroup, UpdateNodegroupConfig, in the JSON
/// shapes of the EKS API reference (times as epoch seconds).
/// </summary>
internal static class EksWire
{
    private const int DefaultPageSize = 100;

    public static async Task<WireReply> HandleAsync(WireRequest request)
    {
        var session = request.RequireSession(AwsService.Eks);
        var segments = ((request.Context.GetRouteValue("path") as string) ?? "").Split('/', StringSplitOptions.RemoveEmptyEntries);
        var method = request.Context.Request.Method;
        var eks = request.Cloud.Eks;
        var region = request.Region;
        var ct = request.Aborted;
        switch (segments)
        {
            case ["clusters"] when HttpMethods.IsGet(method):
                return List(request, "clusters", await eks.ListClustersAsync(session, region, ct));
            case ["clusters", var cluster] when HttpMethods.IsGet(method):
                return WireReply.Json(200, new JsonObject { ["cluster"] = Cluster(await eks.DescribeClusterAsync(session, region, cluster, ct)) });
            case ["clusters", var cluster, "node-groups"] when HttpMethods.IsGet(method):
                return List(request, "nodegroups", await eks.ListNodegroupsAsync(session, region, cluster, ct));
            case ["clusters", var cluster, "node-groups", var nodegroup] when HttpMethods.IsGet(method):
                var described = await eks.DescribeNodegroupAsync(session, region, cluster, nodegroup, ct);
                return WireReply.Json(200, new JsonObject { ["nodegroup"] = Nodegroup(described, session, region, request.Now) });
            case ["clusters", var cluster, "node-groups", var nodegroup, "update-config"] when HttpMethods.IsPost(method):
                return await UpdateConfigAsync(request, session, cluster, nodegroup);
            default:
                throw new AwsWireException(404, "UnknownOperationException", $"No EKS operation answers {method} {request.Context.Request.Path}.");
        }
    }

    private static WireReply List(WireRequest request, string property, IReadOnlyList<string> names)
    {
        var query = request.Context.Request.Query;
        var size = DefaultPageSize;
        if (query["maxResults"].ToString() is { Length: > 0 } max && (!int.TryParse(max, NumberStyles.None, CultureInfo.InvariantCulture, out size) || size is < 1 or > 100))
            throw new AwsWireException(400, "InvalidParameterException", "maxResults must be between 1 and 100.");
        var (page, next) = WirePaging.Page(names, size, query["nextToken"].ToString(), message => new AwsWireException(400, "InvalidParameterException", message));
        var list = new JsonObject { [property] = new JsonArray([.. page.Select(n => JsonValue.Create(n))]) };
        // EKS leaves nextToken out on the last page (AWS's JSON carries no nulls).
        if (next is not null) list["nextToken"] = next;
        return WireReply.Json(200, list);
    }

    private static async Task<WireReply> UpdateConfigAsync(WireRequest request, CloudSession session, string cluster, string nodegroup)
    {
        JsonNode? body;
        try
        {
            body = JsonNode.Parse(request.Body);
        }
        catch (JsonException e)
        {
            throw new AwsWireException(400, "InvalidParameterException", $"The request body is not JSON: {e.Message}");
        }

        var current = await request.Cloud.Eks.DescribeNodegroupAsync(session, request.Region, cluster, nodegroup, request.Aborted);
        var config = body?["scalingConfig"];
        if (config is null) throw new AwsWireException(400, "InvalidParameterException", "No changes needed: the request carries no scalingConfig.");
        var scaling = new NodegroupScaling(
            Size(config, "minSize") ?? current.Scaling.MinSize,
            Size(config, "maxSize") ?? current.Scaling.MaxSize,
            Size(config, "desiredSize") ?? current.Scaling.DesiredSize);
        if (!scaling.IsValid)
            throw new AwsWireException(400, "InvalidParameterException", $"Scaling min={scaling.MinSize} max={scaling.MaxSize} desired={scaling.DesiredSize} is not valid.");
        await request.Cloud.Eks.UpdateNodegroupScalingAsync(session, request.Region, cluster, nodegroup, scaling, dryRun: false, cancellationToken: request.Aborted);
        var update = new JsonObject
        {
            ["id"] = Guid.NewGuid().ToString(),
            ["status"] = "InProgress",
            ["type"] = "ConfigUpdate",
            ["params"] = new JsonArray(
                Param("MinSize", scaling.MinSize), Param("MaxSize", scaling.MaxSize), Param("DesiredSize", scaling.DesiredSize)),
            ["createdAt"] = Seconds(request.Now),
            ["errors"] = new JsonArray(),
        };
        return WireReply.Json(200, new JsonObject { ["update"] = update });
    }

    /// <summary>A size of <c>scalingConfig</c>; absent keeps the current one, anything but an integer is refused.</summary>
    private static int? Size(JsonNode config, string name) => config[name] switch
    {
        null => null,
        JsonValue value when value.TryGetValue<int>(out var size) => size,
        _ => throw new AwsWireException(400, "InvalidParameterException", $"scalingConfig.{name} must be an integer."),
    };

    private static JsonObject Param(string type, int value) => new() { ["type"] = type, ["value"] = value.ToString(CultureInfo.InvariantCulture) };

    private static JsonObject Cluster(EksCluster cluster) => new()
    {
        ["name"] = cluster.Name,
        ["arn"] = cluster.Arn,
        ["createdAt"] = Seconds(cluster.CreatedAt),
        ["version"] = cluster.Version,
        ["endpoint"] = cluster.Endpoint,
        ["status"] = cluster.Status,
        ["platformVersion"] = "eks.1",
        ["tags"] = new JsonObject(),
    };

    private static JsonObject Nodegroup(EksNodegroup nodegroup, CloudSession session, string region, DateTimeOffset now)
    {
        var json = new JsonObject
        {
            ["nodegroupName"] = nodegroup.Name,
            ["nodegroupArn"] = $"arn:aws:eks:{region}:{session.AccountId}:nodegroup/{nodegroup.ClusterName}/{nodegroup.Name}/{NodegroupId(nodegroup)}",
            ["clusterName"] = nodegroup.ClusterName,
            ["status"] = nodegroup.Status,
            ["capacityType"] = nodegroup.CapacityType == CapacityType.Spot ? "SPOT" : "ON_DEMAND",
            ["scalingConfig"] = new JsonObject
            {
                ["minSize"] = nodegroup.Scaling.MinSize,
                ["maxSize"] = nodegroup.Scaling.MaxSize,
                ["desiredSize"] = nodegroup.Scaling.DesiredSize,
            },
            ["instanceTypes"] = new JsonArray([.. nodegroup.InstanceTypes.Select(t => JsonValue.Create(t))]),
            ["subnets"] = new JsonArray([.. nodegroup.Subnets.Select(s => JsonValue.Create(s))]),
            ["amiType"] = "AL2023_x86_64_STANDARD",
            ["resources"] = new JsonObject
            {
                ["autoScalingGroups"] = new JsonArray([.. nodegroup.AutoScalingGroupNames.Select(g => new JsonObject { ["name"] = g })]),
            },
            ["createdAt"] = Seconds(now),
            ["modifiedAt"] = Seconds(now),
            ["tags"] = new JsonObject(),
        };
        if (nodegroup.LaunchTemplate is { } template)
            json["launchTemplate"] = new JsonObject { ["name"] = template.Name, ["version"] = template.Version, ["id"] = template.Id };
        return json;
    }

    /// <summary>EKS's node group ARNs end in a UUID; a stable one per group here.</summary>
    private static string NodegroupId(EksNodegroup nodegroup) =>
        WireIds.Uuid($"{nodegroup.ClusterName}/{nodegroup.Name}");

    /// <summary>EKS's timestamps: epoch seconds with a fraction, as JSON numbers.</summary>
    private static decimal Seconds(DateTimeOffset time) => Math.Round((decimal)(time - DateTimeOffset.UnixEpoch).Ticks / TimeSpan.TicksPerSecond, 3);
}
