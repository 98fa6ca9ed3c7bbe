using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SpotOptimizer.Cloud.Aws;

/// <summary>EKS over its REST/JSON API.</summary>
internal sealed class AwsEks(SignedAwsClient client, AwsCloudOptions options) : IEksClusters
{
    public Task<IReadOnlyList<string>> ListClustersAsync(CloudSession session, string region, CancellationToken cancellationToken = default) =>
        ListAsync(session, region, CloudActions.ListClusters, "clusters", "clusters", cancellationToken);

    public async Task<EksCluster> DescribeClusterAsync(CloudSession session, string region, string clusterName, CancellationToken cancellationToken = default)
    {
        using var json = await GetAsync(session, region, CloudActions.DescribeCluster, $"clusters/{Segment(clusterName)}", cancellationToken);
        var cluster = json.RootElement.GetProperty("cluster");
        return new EksCluster(
            String(cluster, "name") ?? clusterName,
            String(cluster, "arn") ?? "",
            String(cluster, "version") ?? "",
            String(cluster, "endpoint") ?? "",
            String(cluster, "status") ?? "",
            region,
            Time(cluster, "createdAt"));
    }

    public Task<IReadOnlyList<string>> ListNodegroupsAsync(CloudSession session, string region, string clusterName, CancellationToken cancellationToken = default) =>
        ListAsync(session, region, CloudActions.ListNodegroups, $"clusters/{Segment(clusterName)}/node-groups", "nodegroups", cancellationToken);

    public async Task<EksNodegroup> DescribeNodegroupAsync(CloudSession session, string region, string clusterName, string nodegroupName,
        CancellationToken cancellationToken = default)
    {
        using var json = await GetAsync(session, region, CloudActions.DescribeNodegroup,
            $"clusters/{Segment(clusterName)}/node-groups/{Segment(nodegroupName)}", cancellationToken);
        var nodegroup = json.RootElement.GetProperty("nodegroup");
        var scaling = nodegroup.TryGetProperty("scalingConfig", out var s) ? s : default;
        var groups = nodegroup.TryGetProperty("resources", out var resources) && resources.TryGetProperty("autoScalingGroups", out var asgs)
            ? asgs.EnumerateArray().Select(g => String(g, "name")).OfType<string>().ToList()
            : [];
        return new EksNodegroup(
            String(nodegroup, "nodegroupName") ?? nodegroupName,
            String(nodegroup, "clusterName") ?? clusterName,
            String(nodegroup, "status") ?? "",
            nodegroup.TryGetProperty("instanceTypes", out var types) && types.ValueKind == JsonValueKind.Array
                ? types.EnumerateArray().Select(t => t.GetString()).OfType<string>().ToList()
                : [],
            String(nodegroup, "capacityType") == "SPOT" ? CapacityType.Spot : CapacityType.OnDemand,
            new NodegroupScaling(Int(scaling, "minSize"), Int(scaling, "maxSize"), Int(scaling, "desiredSize")),
            groups)
        {
            // Absent when EKS made the template itself (no custom one given): the group's Auto Scaling group names it then.
            LaunchTemplate = nodegroup.TryGetProperty("launchTemplate", out var template) && String(template, "id") is { } id
                ? new LaunchTemplateRef(id, String(template, "name") ?? "", String(template, "version") ?? "$Default")
                : null,
            Subnets = nodegroup.TryGetProperty("subnets", out var subnets) && subnets.ValueKind == JsonValueKind.Array
                ? [.. subnets.EnumerateArray().Select(t => t.GetString()).OfType<string>()]
                : [],
        };
    }

    /// <summary>
    /// POST update-config. EKS has no dry-run mode: with <paramref name="dryRun"/> the node group is read (which
    /// checks it exists and that we may see it) and the would-be result returned; nothing is changed.
    /// </summary>
    public async Task<EksNodegroup> UpdateNodegroupScalingAsync(CloudSession session, string region, string clusterName, string nodegroupName,
        NodegroupScaling scaling, bool dryRun, string? clientRequestToken = null, CancellationToken cancellationToken = default)
    {
        if (!scaling.IsValid)
            throw new CloudException(CloudErrorCodes.InvalidRequest, $"Scaling min={scaling.MinSize} max={scaling.MaxSize} desired={scaling.DesiredSize} is not valid.");
        var current = await DescribeNodegroupAsync(session, region, clusterName, nodegroupName, cancellationToken);
        if (dryRun) return current with { Scaling = scaling };

        var body = new JsonObject
        {
            ["scalingConfig"] = new JsonObject { ["minSize"] = scaling.MinSize, ["maxSize"] = scaling.MaxSize, ["desiredSize"] = scaling.DesiredSize },
        };
        if (clientRequestToken is not null) body["clientRequestToken"] = clientRequestToken;
        var request = new AwsRequest(CloudActions.UpdateNodegroupConfig, "eks", region, HttpMethod.Post,
            Uri(region, $"clusters/{Segment(clusterName)}/node-groups/{Segment(nodegroupName)}/update-config"),
            System.Text.Encoding.UTF8.GetBytes(body.ToJsonString()), "application/json");
        var response = await client.SendAsync(request, session, AwsProtocols.JsonError, cancellationToken);
        if (response.Error is { } error) throw AwsErrors.ToCloudException(error, response.Status, CloudActions.UpdateNodegroupConfig);
        return current with { Scaling = scaling, Status = "UPDATING" };
    }

    /// <summary>One GET; a reported error becomes a <see cref="CloudException"/>.</summary>
    public async Task<JsonDocument> GetAsync(CloudSession session, string region, string operation, string pathAndQuery, CancellationToken cancellationToken)
    {
        var response = await TryGetAsync(session, region, operation, pathAndQuery, cancellationToken);
        if (response.Error is { } error) throw AwsErrors.ToCloudException(error, response.Status, operation);
        try
        {
            return JsonDocument.Parse(response.Body);
        }
        catch (JsonException e)
        {
            throw new CloudException(CloudErrorCodes.CloudError, $"Unreadable {operation} response: {e.Message}", false, e) { Operation = operation };
        }
    }

    /// <summary>One GET, the error (if any) returned rather than thrown: what the permission probe needs.</summary>
    public Task<AwsResponse> TryGetAsync(CloudSession session, string region, string operation, string pathAndQuery, CancellationToken cancellationToken) =>
        client.SendAsync(new AwsRequest(operation, "eks", region, HttpMethod.Get, Uri(region, pathAndQuery)), session, AwsProtocols.JsonError, cancellationToken);

    private Task<IReadOnlyList<string>> ListAsync(CloudSession session, string region, string operation, string path, string property,
        CancellationToken cancellationToken) =>
        AwsPaging.AllAsync<string>(operation, async token =>
        {
            var query = "?maxResults=100" + (token is null ? "" : "&nextToken=" + System.Uri.EscapeDataString(token));
            using var json = await GetAsync(session, region, operation, path + query, cancellationToken);
            var names = json.RootElement.TryGetProperty(property, out var items) ? items.EnumerateArray().Select(i => i.GetString()).OfType<string>().ToList() : [];
            return (names, String(json.RootElement, "nextToken"));
        });

    private Uri Uri(string region, string pathAndQuery) => new(AwsEndpoints.Resolve(options.Endpoints.Eks, region), pathAndQuery);

    private static string Segment(string value) => System.Uri.EscapeDataString(value);

    private static string? String(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static int Int(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.TryGetInt32(out var number) ? number : 0;

    /// <summary>EKS timestamps are epoch seconds (with a fraction) in JSON numbers; accept ISO strings too.</summary>
    private static DateTimeOffset Time(JsonElement element, string name)
    {
        if (!element.TryGetProperty(name, out var value)) return default;
        if (value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out var seconds))
            return DateTimeOffset.UnixEpoch.AddTicks((long)Math.Round(seconds * TimeSpan.TicksPerSecond));
        return DateTimeOffset.TryParse(value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed) ? parsed : default;
    }
}
