using System.Net;

namespace SpotOptimizer.Cloud.Aws;

/// <summary>An error as AWS reported it: its code (e.g. <c>RequestLimitExceeded</c>) and message.</summary>
internal sealed record AwsError(string Code, string Message);

/// <summary>Maps AWS error codes (EC2, EKS, Auto Scaling, STS) to our stable <see cref="CloudErrorCodes"/>.</summary>
internal static class AwsErrors
{
    private static readonly HashSet<string> ThrottlingCodes = new(StringComparer.Ordinal)
    {
        "Throttling", "ThrottlingException", "ThrottledException", "RequestLimitExceeded", "RequestThrottled",
        "RequestThrottledException", "TooManyRequestsException", "ProvisionedThroughputExceededException",
        "SlowDown", "EC2ThrottledException", "BandwidthLimitExceeded", "PriorRequestNotComplete",
    };

    private static readonly HashSet<string> DeniedCodes = new(StringComparer.Ordinal)
    {
        "UnauthorizedOperation", "AccessDenied", "AccessDeniedException",
    };

    private static readonly HashSet<string> ExpiredCodes = new(StringComparer.Ordinal)
    {
        "ExpiredToken", "ExpiredTokenException", "RequestExpired",
    };

    private static readonly HashSet<string> BadCredentialCodes = new(StringComparer.Ordinal)
    {
        "AuthFailure", "InvalidClientTokenId", "UnrecognizedClientException", "SignatureDoesNotMatch",
        "IncompleteSignature", "MissingAuthenticationToken", "InvalidAccessKeyId", "InvalidSignatureException",
    };

    // The pool cannot serve the launch now: the executor falls back to another pool rather than repeating. A Spot
    // price cap below the market and the account's Spot instance quota fail the same way for the caller.
    private static readonly HashSet<string> CapacityCodes = new(StringComparer.Ordinal)
    {
        "InsufficientInstanceCapacity", "InsufficientCapacity", "InsufficientHostCapacity",
        "InsufficientReservedInstanceCapacity", "InsufficientCapacityOnOutpost",
        "SpotMaxPriceTooLow", "MaxSpotInstanceCountExceeded",
    };

    public static bool IsDenied(string code) => DeniedCodes.Contains(code);

    public static bool IsThrottling(string code, HttpStatusCode status) => ThrottlingCodes.Contains(code) || status == HttpStatusCode.TooManyRequests;

    /// <summary>
    /// The error for a failed call of <paramref name="operation"/> (an IAM action) made with an assumed role.
    /// Denials name the action: <c>missing_permission:ec2:DescribeInstances</c>.
    /// </summary>
    public static CloudException ToCloudException(AwsError error, HttpStatusCode status, string operation)
    {
        var message = $"{operation}: {error.Code}: {error.Message}";
        var (code, retryable) = error.Code switch
        {
            _ when IsThrottling(error.Code, status) => (CloudErrorCodes.Throttled, true),
            _ when DeniedCodes.Contains(error.Code) => (CloudErrorCodes.MissingPermission(operation), false),
            _ when ExpiredCodes.Contains(error.Code) => (CloudErrorCodes.SessionExpired, false),
            _ when BadCredentialCodes.Contains(error.Code) => (CloudErrorCodes.SessionInvalid, false),
            _ when CapacityCodes.Contains(error.Code) => (CloudErrorCodes.InsufficientCapacity, false),
            "RequestTimeout" or "RequestTimeoutException" => (CloudErrorCodes.Timeout, true),
            "ResourceNotFoundException" or "NotFoundException" => (CloudErrorCodes.NotFound, false),
            _ when error.Code.EndsWith(".NotFound", StringComparison.Ordinal) => (CloudErrorCodes.NotFound, false),
            // Auto Scaling reports a missing group as a validation error: "AutoScalingGroup name not found - x".
            "ValidationError" when error.Message.Contains("not found", StringComparison.OrdinalIgnoreCase) => (CloudErrorCodes.NotFound, false),
            "ValidationError" or "ValidationException" or "InvalidParameterException" or "InvalidParameterValue" or "InvalidParameterCombination"
                or "InvalidRequestException" or "MissingParameter" or "UnknownParameter" or "IdempotentParameterMismatch" or "ClientException"
                => (CloudErrorCodes.InvalidRequest, false),
            // The resource is in no state for the request (a stopping instance started, a volume attached twice or
            // across zones): the simulator refuses these the same way.
            "IncorrectState" or "IncorrectInstanceState" or "VolumeInUse" or "InvalidVolume.ZoneMismatch" or "UnsupportedOperation"
                => (CloudErrorCodes.InvalidRequest, false),
            _ when (int)status >= 500 => (CloudErrorCodes.Unavailable, true),
            _ => (CloudErrorCodes.CloudError, false),
        };
        return new CloudException(code, message, retryable) { ProviderCode = error.Code, Operation = operation };
    }
}
