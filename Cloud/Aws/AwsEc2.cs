namespace SpotOptimizer.Cloud.Aws;

/// <summary>EC2 over its Query API (form POST, XML answers), API version 2016-11-15.</summary>
internal sealed class AwsEc2(SignedAwsClient client, AwsCloudOptions options) : IEc2Inventory
{
    public const string ApiVersion = "2016-11-15";

    public async Task<IReadOnlyList<Ec2Instance>> DescribeInstancesAsync(CloudSession session, string region, CancellationToken cancellationToken = default)
    {
        var instances = new List<Ec2Instance>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        string? nextToken = null;
        do
        {
            List<KeyValuePair<string, string>> parameters = [new("MaxResults", options.DescribeInstancesPageSize.ToString(System.Globalization.CultureInfo.InvariantCulture))];
            if (nextToken is not null) parameters.Add(new("NextToken", nextToken));
            var response = await CallAsync(session, region, CloudActions.DescribeInstances, parameters, cancellationToken);
            if (response.Error is { } error) throw AwsErrors.ToCloudException(error, response.Status, CloudActions.DescribeInstances);
            var (page, next) = Ec2InstancesXml.ParsePage(response.Body);
            instances.AddRange(page);
            if (next is not null && !seen.Add(next))
                throw new CloudException(CloudErrorCodes.CloudError, "DescribeInstances returned the same NextToken twice.") { Operation = CloudActions.DescribeInstances };
            nextToken = next;
        }
        while (nextToken is not null);

        return instances;
    }

    /// <summary>One Query call; the action is the part of <paramref name="operation"/> after <c>ec2:</c>.</summary>
    public Task<AwsResponse> CallAsync(CloudSession session, string region, string operation, IEnumerable<KeyValuePair<string, string>> parameters,
        CancellationToken cancellationToken)
    {
        var action = operation[(operation.IndexOf(':', StringComparison.Ordinal) + 1)..];
        var body = AwsProtocols.FormBody([new("Action", action), new("Version", ApiVersion), .. parameters]);
        var request = new AwsRequest(operation, "ec2", region, HttpMethod.Post, AwsEndpoints.Resolve(options.Endpoints.Ec2, region), body, AwsProtocols.FormContentType);
        return client.SendAsync(request, session, (response, text) => AwsProtocols.QueryError(response.StatusCode, text), cancellationToken);
    }
}
