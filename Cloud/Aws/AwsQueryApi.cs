using System.Globalization;

namespace SpotOptimizer.Cloud.Aws;

/// <summary>
/// A Query-protocol service without an SDK package here (Auto Scaling): form POST of <c>Action</c>, <c>Version</c> and the parameters,
/// signed for <paramref name="service"/>, XML back.
/// </summary>
internal sealed class AwsQueryApi(SignedAwsClient client, string service, string version, Func<string> endpoint)
{
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

    /// <summary>A Query list: <c>Name.1=a&amp;Name.2=b</c> (Auto Scaling's lists are numbered from 1).</summary>
    public static IEnumerable<KeyValuePair<string, string>> Indexed(string name, IEnumerable<string> values) =>
        values.Select((value, i) => new KeyValuePair<string, string>($"{name}.{(i + 1).ToString(CultureInfo.InvariantCulture)}", value));
}
