using System.Net;
using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Signing;

namespace SpotOptimizer.Cloud.Aws;

/// <summary>One AWS API call: the IAM action it needs, where it goes, what it carries.</summary>
internal sealed record AwsRequest(string Operation, string Service, string Region, HttpMethod Method, Uri Uri, byte[]? Body = null, string? ContentType = null);

/// <summary>The answer: a success body, or an error the service reported that retrying would not fix.</summary>
internal sealed record AwsResponse(HttpStatusCode Status, string Body, AwsError? Error)
{
    public bool IsSuccess => Error is null;
}

/// <summary>
/// Sends AWS API calls with the session's temporary credentials, signed with SigV4 by AWSSDK.Core's
/// <see cref="AWSSigV4Signer"/>. Signing happens inside each retry attempt so every attempt carries a fresh
/// X-Amz-Date (the order AWSSDK.Core's docs require for its own signing handler). Throttling, 5xx, transport
/// failures and per-attempt timeouts are retried by <see cref="AwsRetry"/>; other errors are returned. EKS and Auto
/// Scaling go through here: their SDK packages are not available to us (EC2 and STS use their SDK clients).
/// </summary>
internal sealed class SignedAwsClient(HttpClient http, AwsCloudOptions options, TimeProvider time, AwsRetry retry)
{
    public async Task<AwsResponse> SendAsync(AwsRequest request, CloudSession session, Func<HttpResponseMessage, string, AwsError> parseError,
        CancellationToken cancellationToken)
    {
        var credentials = new SessionAWSCredentials(session.Credentials.AccessKeyId, session.Credentials.SecretAccessKey, session.Credentials.SessionToken);
        return await retry.ExecuteAsync(request.Operation, session, token => AttemptAsync(request, credentials, parseError, token), cancellationToken,
            response => response.Error is { } error ? AwsErrors.ToCloudException(error, response.Status, request.Operation).Code : null);
    }

    private async ValueTask<AwsResponse> AttemptAsync(AwsRequest request, AWSCredentials credentials, Func<HttpResponseMessage, string, AwsError> parseError,
        CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(options.RequestTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            using var message = await SignAsync(request, credentials, linked.Token);
            using var response = await http.SendAsync(message, HttpCompletionOption.ResponseContentRead, linked.Token);
            var body = await response.Content.ReadAsStringAsync(linked.Token);
            if (response.IsSuccessStatusCode) return new AwsResponse(response.StatusCode, body, null);
            var error = parseError(response, body);
            if (AwsErrors.IsThrottling(error.Code, response.StatusCode) || (int)response.StatusCode >= 500)
                throw AwsErrors.ToCloudException(error, response.StatusCode, request.Operation);
            return new AwsResponse(response.StatusCode, body, error);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new CloudException(CloudErrorCodes.Timeout, $"{request.Operation} got no answer within {options.RequestTimeout}.", retryable: true) { Operation = request.Operation };
        }
        catch (HttpRequestException e)
        {
            throw new CloudException(CloudErrorCodes.Unavailable, $"{request.Operation} could not reach {request.Uri.Host}: {e.Message}", retryable: true, e) { Operation = request.Operation };
        }
    }

    private async Task<HttpRequestMessage> SignAsync(AwsRequest request, AWSCredentials credentials, CancellationToken cancellationToken)
    {
        var signing = new AWSSigningRequest { HttpMethod = request.Method, RequestUri = request.Uri, Content = request.Body ?? [] };
        if (request.ContentType is not null) signing.Headers["Content-Type"] = request.ContentType;
        var signed = await AWSSigV4Signer.SignAsync(signing, new AWSSigV4Parameters
        {
            Credentials = credentials,
            Region = RegionEndpoint.GetBySystemName(request.Region),
            Service = request.Service,
            SignedAt = time.GetUtcNow().UtcDateTime,
        }, cancellationToken);

        var message = new HttpRequestMessage(request.Method, request.Uri);
        if (request.Body is not null)
        {
            message.Content = new ByteArrayContent(request.Body);
            // The exact string that was signed; MediaTypeHeaderValue could re-render it.
            if (request.ContentType is not null) message.Content.Headers.TryAddWithoutValidation("Content-Type", request.ContentType);
        }

        foreach (var (name, value) in signed.Headers) message.Headers.TryAddWithoutValidation(name, value);
        return message;
    }
}
