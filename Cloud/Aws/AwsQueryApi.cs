using System.Globalization;

namespace SpotOptimizer.Cloud.Aws;

/// <summary>
/// One Query-protocol service (EC2, Auto Scaling): form POST of <c>Action</c>, <c>Version</c> and the parameters,
/// signed for <paramref name="service"/>, XML back.
/// </summary>
internal sealed class AwsQueryApi(SignedAwsClient client, string service, string version, Func<string> endpoint)
{
    /// <summary>EC2 answers a dry run that would have succeeded with this error (HTTP 412).</summary>
    public const string DryRunSucceeded = "DryRunOperation";

    /// <summary>One call, the error (if any) returned rather than thrown; the action is the part of <paramref name="operation"/> after the colon.</summary>
    public Task<AwsResponse> CallAsync(CloudSession session, string region, string operation, IEnumerable<KeyValuePair<string, string>> parameters,
        CancellationToken cancellationToken)
    {
        var action = operation[(operation.IndexOf(':', StringComparison.Ordinal) + 1)..];
        var body = AwsProtocols.FormBody([new("Action", action), new("Version", version), .. parameters]);
        var request = new AwsRequest(operation, service, region, HttpMethod.Post, AwsEndpoints.Resolve(endpoint(), region), body, AwsProtocols.FormContentType);
        return client.SendAsync(request, session, (response, text) => AwsProtocols.QueryError(response.StatusCode, text), cancellationToken);
    }

    /// <summary>One call whose reported error becomes a <see cref="CloudException"/>; returns the body.</summary>
    public async Task<string> InvokeAsync(CloudSession session, string region, string operation, IEnumerable<KeyValuePair<string, string>> parameters,
        CancellationToken cancellationToken)
    {
        var response = await CallAsync(session, region, operation, parameters, cancellationToken);
        return response.Error is { } error ? throw AwsErrors.ToCloudException(error, response.Status, operation) : response.Body;
    }

    /// <summary>
    /// Every page of a listing: the same parameters each time, plus the <c>NextToken</c> of the page before;
    /// <paramref name="parse"/> reads one page's items and next token.
    /// </summary>
    public Task<IReadOnlyList<T>> ListAsync<T>(CloudSession session, string region, string operation, IReadOnlyList<KeyValuePair<string, string>> parameters,
        Func<string, (IEnumerable<T> Items, string? NextToken)> parse, CancellationToken cancellationToken) =>
        AwsPaging.AllAsync(operation, async token =>
            parse(await InvokeAsync(session, region, operation, token is null ? parameters : [.. parameters, new("NextToken", token)], cancellationToken)));

    /// <summary>A Query list: <c>Name.1=a&amp;Name.2=b</c> (EC2's and Auto Scaling's lists are numbered from 1).</summary>
    public static IEnumerable<KeyValuePair<string, string>> Indexed(string name, IEnumerable<string> values) =>
        values.Select((value, i) => new KeyValuePair<string, string>($"{name}.{(i + 1).ToString(CultureInfo.InvariantCulture)}", value));

    /// <summary>
    /// A write sent with <c>DryRun=true</c>: true when EC2 says it would have succeeded; any other error is thrown
    /// (<c>UnauthorizedOperation</c> becomes <c>missing_permission:&lt;operation&gt;</c>).
    /// </summary>
    public async Task<bool> DryRunAsync(CloudSession session, string region, string operation, IEnumerable<KeyValuePair<string, string>> parameters,
        CancellationToken cancellationToken)
    {
        var response = await CallAsync(session, region, operation, [new("DryRun", "true"), .. parameters], cancellationToken);
        return response.Error switch
        {
            { Code: DryRunSucceeded } => true,
            { } error => throw AwsErrors.ToCloudException(error, response.Status, operation),
            // A success to a dry run would mean the flag was ignored: report it rather than pretend nothing happened.
            null => throw new CloudException(CloudErrorCodes.CloudError, $"{operation} acted on a dry run.") { Operation = operation },
        };
    }
}
