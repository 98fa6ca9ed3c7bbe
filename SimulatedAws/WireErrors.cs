using System.Text.Json.Nodes;
using System.Xml.Linq;
using SpotOptimizer.Cloud;

namespace SpotOptimizer.SimulatedAws;

/// <summary>The AWS services served, each with its signing name (the credential scope's service).</summary>
internal enum AwsService
{
    Sts,
    Ec2,
    Eks,
    AutoScaling,

    /// <summary>SQS on its JSON wire (AWS JSON 1.0, query-compatible errors).</summary>
    Sqs,
}

/// <summary>An error as the service reports it on the wire: HTTP status, AWS error code, message.</summary>
internal sealed class AwsWireException(int status, string code, string message) : Exception(message)
{
    public int Status { get; } = status;

    public string Code { get; } = code;

    /// <summary>SQS's JSON error type (its <c>__type</c> shape name) where it differs from the query-compatible <see cref="Code"/>.</summary>
    public string? JsonType { get; init; }
}

/// <summary>
/// The simulator's errors (<see cref="CloudException.Code"/>, or the AWS code it carries in
/// <see cref="CloudException.ProviderCode"/>) in each service's words and status, and each protocol's error document.
/// </summary>
internal static class WireErrors
{
    public static string SigningName(this AwsService service) => service switch
    {
        AwsService.Sts => "sts",
        AwsService.Ec2 => "ec2",
        AwsService.Eks => "eks",
        AwsService.Sqs => "sqs",
        _ => "autoscaling",
    };

    public static AwsWireException MissingAuthentication(AwsService service) => service == AwsService.Eks
        ? new(403, "MissingAuthenticationTokenException", "Missing Authentication Token")
        : new(403, "MissingAuthenticationToken", "Request is missing Authentication Token");

    public static AwsWireException UnknownKey(AwsService service) => service switch
    {
        AwsService.Eks => new(403, "UnrecognizedClientException", "The security token included in the request is invalid."),
        AwsService.Ec2 => new(401, "AuthFailure", "AWS was not able to validate the provided access credentials"),
        _ => new(403, "InvalidClientTokenId", "The security token included in the request is invalid."),
    };

    public static AwsWireException BadSignature(AwsService service) => service == AwsService.Eks
        ? new(403, "InvalidSignatureException",
            "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.")
        : new(403, "SignatureDoesNotMatch",
            "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.");

    public static AwsWireException Expired(AwsService service) => service == AwsService.Eks
        ? new(403, "ExpiredTokenException", "The security token included in the request is expired")
        : new(400, "ExpiredToken", "The security token included in the request is expired");

    /// <summary>
    /// A <see cref="CloudException"/> of the simulator as <paramref name="service"/> would report it. An AWS code the
    /// simulator named itself (<c>InvalidInstanceID.NotFound</c>, <c>IdempotentParameterMismatch</c>) is kept as is.
    /// </summary>
    public static AwsWireException From(AwsService service, CloudException error, string? notFoundCode = null) => error.Code switch
    {
        CloudErrorCodes.Throttled => service switch
        {
            AwsService.Ec2 => new(503, "RequestLimitExceeded", "Request limit exceeded."),
            AwsService.Eks => new(429, "ThrottlingException", "Rate exceeded"),
            _ => new(400, "Throttling", "Rate exceeded"),
        },
        _ when error.MissingAction is { } action => service switch
        {
            AwsService.Ec2 => new(403, "UnauthorizedOperation", $"You are not authorized to perform this operation. User is not authorized to perform: {action}"),
            AwsService.Eks => new(403, "AccessDeniedException", $"User is not authorized to perform: {action}"),
            _ => new(403, "AccessDenied", $"User is not authorized to perform: {action}"),
        },
        CloudErrorCodes.SessionExpired => Expired(service),
        CloudErrorCodes.SessionInvalid => UnknownKey(service),
        CloudErrorCodes.InsufficientCapacity => new(500, error.ProviderCode ?? "InsufficientInstanceCapacity", error.Message),
        CloudErrorCodes.NotFound => service switch
        {
            AwsService.Eks => new(404, "ResourceNotFoundException", error.Message),
            AwsService.AutoScaling => new(400, "ValidationError", error.Message),
            _ => new(400, error.ProviderCode ?? notFoundCode ?? "InvalidParameterValue", error.Message),
        },
        CloudErrorCodes.InvalidRequest => service switch
        {
            AwsService.Eks => new(400, "InvalidParameterException", error.Message),
            AwsService.Ec2 => new(400, error.ProviderCode ?? "InvalidParameterValue", error.Message),
            _ => new(400, "ValidationError", error.Message),
        },
        CloudErrorCodes.Timeout => new(503, service == AwsService.Eks ? "ServiceUnavailableException" : "ServiceUnavailable", error.Message),
        CloudErrorCodes.Unavailable => new(503, service switch
        {
            AwsService.Ec2 => "Unavailable",
            AwsService.Eks => "ServiceUnavailableException",
            _ => "ServiceUnavailable",
        }, error.Message),
        _ => Internal(service, error.Message),
    };

    /// <summary>A failure that is the service's own (a crash injected into the simulator): the caller learns nothing of its text.</summary>
    public static AwsWireException Internal(AwsService service) => Internal(service, "We encountered an internal error. Please try again.");

    private static AwsWireException Internal(AwsService service, string message) => service switch
    {
        AwsService.Ec2 => new(500, "InternalError", message),
        AwsService.Eks => new(500, "ServerException", message),
        _ => new(500, "InternalFailure", message),
    };

    /// <summary>The error document: EC2's <c>Response/Errors/Error</c>, the other Query services' <c>ErrorResponse</c>, EKS's JSON and header.</summary>
    public static WireReply Render(AwsService service, AwsWireException error, string requestId)
    {
        switch (service)
        {
            case AwsService.Ec2:
                return WireReply.Xml(error.Status, new XElement("Response",
                    new XElement("Errors", new XElement("Error", new XElement("Code", error.Code), new XElement("Message", error.Message))),
                    new XElement("RequestID", requestId)));
            case AwsService.Sqs:
                // SQS's JSON errors: the shape in __type, the query-compatible code (what the SDK reports) in a header.
                return new WireReply(error.Status, SqsWire.ContentType,
                    new JsonObject { ["__type"] = $"com.amazonaws.sqs#{error.JsonType ?? error.Code}", ["message"] = error.Message }.ToJsonString())
                {
                    Headers = new Dictionary<string, string>
                    {
                        ["x-amzn-query-error"] = $"{error.Code};{(error.Status >= 500 ? "Receiver" : "Sender")}",
                        ["x-amzn-RequestId"] = requestId,
                    },
                };
            case AwsService.Eks:
                var body = new JsonObject { ["message"] = error.Message };
                return WireReply.Json(error.Status, body) with
                {
                    Headers = new Dictionary<string, string> { ["x-amzn-ErrorType"] = error.Code, ["x-amzn-RequestId"] = requestId },
                };
            default:
                XNamespace ns = service == AwsService.Sts ? QueryXml.StsNamespace : QueryXml.AutoScalingNamespace;
                return WireReply.Xml(error.Status, new XElement(ns + "ErrorResponse",
                    new XElement(ns + "Error",
                        new XElement(ns + "Type", error.Status >= 500 ? "Receiver" : "Sender"),
                        new XElement(ns + "Code", error.Code),
                        new XElement(ns + "Message", error.Message)),
                    new XElement(ns + "RequestId", requestId)));
        }
    }
}
