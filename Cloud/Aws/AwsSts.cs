using System.Net;
using Amazon.Runtime;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;

namespace SpotOptimizer.Cloud.Aws;

/// <summary>
/// AssumeRole through AWSSDK.SecurityToken. The SDK's own retries are off: our pipeline retries, as for every call.
/// <para>
/// AWS answers <c>AccessDenied</c> ("is not authorized to perform: sts:AssumeRole on resource") alike for a role
/// that does not exist, a trust policy that does not name us, and a wrong External ID — by design, so that role
/// names cannot be probed from outside. We therefore report <see cref="CloudErrorCodes.AssumeRoleDenied"/> rather than
/// guess <see cref="CloudErrorCodes.RoleNotFound"/> or <see cref="CloudErrorCodes.ExternalIdMismatch"/>; the onboarding
/// flow shows both causes. The ARN is validated locally first, so <see cref="CloudErrorCodes.InvalidRoleArn"/> is exact.
/// </para>
/// </summary>
internal sealed class AwsSts : IDisposable
{
    private static readonly HashSet<string> OurCredentialCodes = new(StringComparer.Ordinal)
    {
        "InvalidClientTokenId", "SignatureDoesNotMatch", "ExpiredToken", "ExpiredTokenException", "MissingAuthenticationToken",
        "IncompleteSignature", "UnrecognizedClientException", "InvalidAccessKeyId",
    };

    private readonly AmazonSecurityTokenServiceClient _client;
    private readonly AwsRetry _retry;

    public AwsSts(AwsCloudOptions options, AwsRetry retry, HttpClientFactory? httpClientFactory)
    {
        var config = new AmazonSecurityTokenServiceConfig
        {
            ServiceURL = AwsEndpoints.Resolve(options.Endpoints.Sts, options.StsRegion).ToString(),
            AuthenticationRegion = options.StsRegion,
            MaxErrorRetry = 0,
            Timeout = options.RequestTimeout,
        };
        if (httpClientFactory is not null) config.HttpClientFactory = httpClientFactory;
        _client = options.Credentials is null ? new AmazonSecurityTokenServiceClient(config) : new AmazonSecurityTokenServiceClient(options.Credentials, config);
        _retry = retry;
    }

    public async Task<CloudSession> AssumeRoleAsync(RoleRequest request, CancellationToken cancellationToken)
    {
        var arn = request.Validate();
        var response = await _retry.ExecuteAsync(CloudActions.AssumeRole, null, token => CallAsync(request, arn, token), cancellationToken);
        var credentials = response.Credentials
            ?? throw new CloudException(CloudErrorCodes.CloudError, "STS answered AssumeRole without credentials.") { Operation = CloudActions.AssumeRole };
        return new CloudSession(arn, request.SessionName, response.AssumedRoleUser?.Arn ?? "",
            new TemporaryCredentials(credentials.AccessKeyId, credentials.SecretAccessKey, credentials.SessionToken, Ec2Model.Utc(credentials.Expiration) ?? DateTimeOffset.MinValue));
    }

    public void Dispose() => _client.Dispose();

    private async ValueTask<AssumeRoleResponse> CallAsync(RoleRequest request, RoleArn arn, CancellationToken cancellationToken)
    {
        try
        {
            return await _client.AssumeRoleAsync(new AssumeRoleRequest
            {
                RoleArn = arn.ToString(),
                ExternalId = request.ExternalId,
                RoleSessionName = request.SessionName,
                DurationSeconds = (int)request.EffectiveDuration.TotalSeconds,
            }, cancellationToken);
        }
        catch (AmazonServiceException e) when (e.ErrorCode is not null)
        {
            throw Map(new AwsError(e.ErrorCode, e.Message), e.StatusCode, arn, e);
        }
        catch (AmazonClientException e)
        {
            // No response from STS: our credentials could not be resolved, or the endpoint could not be reached.
            throw new CloudException(CloudErrorCodes.Unavailable, $"AssumeRole of {arn} failed before STS answered: {e.Message}", retryable: true, e)
            {
                Operation = CloudActions.AssumeRole,
            };
        }
        catch (HttpRequestException e)
        {
            throw new CloudException(CloudErrorCodes.Unavailable, $"STS could not be reached: {e.Message}", retryable: true, e) { Operation = CloudActions.AssumeRole };
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new CloudException(CloudErrorCodes.Timeout, "STS did not answer AssumeRole in time.", retryable: true, e) { Operation = CloudActions.AssumeRole };
        }
    }

    internal static CloudException Map(AwsError error, HttpStatusCode status, RoleArn arn, Exception? inner = null)
    {
        var (code, message) = error.Code switch
        {
            "AccessDenied" => (CloudErrorCodes.AssumeRoleDenied,
                $"STS refused to let us assume {arn}: the role does not exist, or its trust policy does not trust our principal with this External ID " +
                $"(AWS does not say which). {error.Message}"),
            "NoSuchEntity" => (CloudErrorCodes.RoleNotFound, $"Role {arn} does not exist. {error.Message}"),
            "RegionDisabledException" => (CloudErrorCodes.RegionDisabled, error.Message),
            _ when OurCredentialCodes.Contains(error.Code) => (CloudErrorCodes.ProviderCredentialsInvalid,
                $"STS rejected SpotOptimizer's own credentials ({error.Code}): {error.Message}"),
            "ValidationError" or "InvalidParameterValue" when error.Message.Contains("roleArn", StringComparison.OrdinalIgnoreCase) =>
                (CloudErrorCodes.InvalidRoleArn, error.Message),
            _ => (null, null),
        };
        if (code is null) return AwsErrors.ToCloudException(error, status, CloudActions.AssumeRole);
        return new CloudException(code, message!, retryable: false, inner) { ProviderCode = error.Code, Operation = CloudActions.AssumeRole };
    }
}
