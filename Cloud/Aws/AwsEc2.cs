using System.Globalization;

namespace SpotOptimizer.Cloud.Aws;

/// <summary>EC2 over its Query API (form POST, XML answers), API version 2016-11-15.</summary>
internal sealed class AwsEc2(SignedAwsClient client, AwsCloudOptions options) : IEc2Inventory
{
    public const string ApiVersion = "2016-11-15";

    public AwsQueryApi Api { get; } = new(client, "ec2", ApiVersion, () => options.Endpoints.Ec2);

    public Task<IReadOnlyList<Ec2Instance>> DescribeInstancesAsync(CloudSession session, string region, CancellationToken cancellationToken = default) =>
        AwsPaging.AllAsync<Ec2Instance>(CloudActions.DescribeInstances, async token =>
        {
            List<KeyValuePair<string, string>> parameters = [new("MaxResults", options.DescribeInstancesPageSize.ToString(CultureInfo.InvariantCulture))];
            if (token is not null) parameters.Add(new("NextToken", token));
            return Ec2InstancesXml.ParsePage(await Api.InvokeAsync(session, region, CloudActions.DescribeInstances, parameters, cancellationToken));
        });

    /// <summary>
    /// The named instances. EC2 refuses <c>MaxResults</c> together with instance ids and answers them in one page;
    /// an unknown id fails the call (<c>InvalidInstanceID.NotFound</c>, so <see cref="CloudErrorCodes.NotFound"/>).
    /// </summary>
    public Task<IReadOnlyList<Ec2Instance>> DescribeInstancesAsync(CloudSession session, string region, IReadOnlyList<string> instanceIds,
        CancellationToken cancellationToken) =>
        AwsPaging.AllAsync<Ec2Instance>(CloudActions.DescribeInstances, async token =>
        {
            var parameters = Indexed("InstanceId", instanceIds).ToList();
            if (token is not null) parameters.Add(new("NextToken", token));
            return Ec2InstancesXml.ParsePage(await Api.InvokeAsync(session, region, CloudActions.DescribeInstances, parameters, cancellationToken));
        });

    /// <summary>One Query call; the action is the part of <paramref name="operation"/> after <c>ec2:</c>.</summary>
    public Task<AwsResponse> CallAsync(CloudSession session, string region, string operation, IEnumerable<KeyValuePair<string, string>> parameters,
        CancellationToken cancellationToken) =>
        Api.CallAsync(session, region, operation, parameters, cancellationToken);

    /// <summary>A Query list: <c>Name.1=a&amp;Name.2=b</c> (EC2's flattened lists are numbered from 1).</summary>
    public static IEnumerable<KeyValuePair<string, string>> Indexed(string name, IEnumerable<string> values) =>
        values.Select((value, i) => new KeyValuePair<string, string>($"{name}.{(i + 1).ToString(CultureInfo.InvariantCulture)}", value));
}
