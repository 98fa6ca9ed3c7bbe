using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using SpotOptimizer.Cloud;
using SpotOptimizer.Cloud.Simulation;

namespace SpotOptimizer.Api.Apis;

/// <summary>
/// Simulator only, with <c>Simulator:ServeAws=true</c>: the customer stack's events queue on SQS's own wire protocol
/// (AWS JSON 1.0: <c>POST /simulator/aws/sqs/{region}/</c>, <c>X-Amz-Target: AmazonSQS.&lt;Operation&gt;</c>), so AWSSDK.SQS
/// pointed at <c>{platform}/simulator/aws</c> reads the simulated world as it reads AWS. ReceiveMessage and
/// DeleteMessageBatch only, what the platform calls. The caller is the session whose access key signed the request
/// (the signature itself is not checked); errors are SQS's JSON errors, which the SDK turns into its exceptions.
/// </summary>
public static class SimulatorSqsApi
{
    private const string JsonContentType = "application/x-amz-json-1.0";
    private const string TargetPrefix = "AmazonSQS.";

    public static IEndpointRouteBuilder MapSimulatorSqsApi(this IEndpointRouteBuilder app)
    {
        if (app.ServiceProvider.GetService<SimulatedCloud>() is null) return app;
        if (!SpotOptimizer.Silo.CloudSelection.ServesAws(app.ServiceProvider.GetRequiredService<IConfiguration>())) return app;
        // SQS's own API, documented by AWS: kept out of our OpenAPI document; SigV4 (the session's access key) authenticates.
        // Beside the other services of SimulatorAwsApi, under the same prefix.
        app.MapPost($"{SimulatorAwsApi.Prefix}/sqs/{{region}}", Serve).AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    public static async Task<IResult> Serve(string region, HttpRequest request, SimulatedCloud cloud, CancellationToken cancellationToken)
    {
        var target = request.Headers["X-Amz-Target"].ToString();
        if (!target.StartsWith(TargetPrefix, StringComparison.Ordinal)) return Error(400, "InvalidAction", "UnknownOperationException", "Missing or unknown X-Amz-Target.");
        if (AccessKeyOf(request.Headers.Authorization.ToString()) is not { } accessKey)
            return Error(403, "MissingAuthenticationToken", "MissingAuthenticationTokenException", "Request is missing Authentication Token.");

        JsonObject body;
        try
        {
            body = await JsonNode.ParseAsync(request.Body, cancellationToken: cancellationToken) as JsonObject
                ?? throw new JsonException("The request body is not a JSON object.");
        }
        catch (JsonException e)
        {
            return Error(400, "MalformedInput", "SerializationException", e.Message);
        }

        var queueUrl = body["QueueUrl"]?.GetValue<string>() ?? "";
        try
        {
            return target[TargetPrefix.Length..] switch
            {
                "ReceiveMessage" => await ReceiveAsync(cloud, accessKey, region, queueUrl, body, cancellationToken),
                "DeleteMessageBatch" => await DeleteBatchAsync(cloud, accessKey, region, queueUrl, body, cancellationToken),
                var other => Error(400, "InvalidAction", "UnsupportedOperation", $"The simulator's SQS does not serve {other}."),
            };
        }
        catch (CloudException e)
        {
            return e.Code switch
            {
                CloudErrorCodes.NotFound => Error(400, "AWS.SimpleQueueService.NonExistentQueue", "QueueDoesNotExist", "The specified queue does not exist."),
                CloudErrorCodes.SessionInvalid => Error(400, "InvalidClientTokenId", "UnrecognizedClientException", e.Message),
                CloudErrorCodes.SessionExpired => Error(400, "ExpiredToken", "ExpiredToken", e.Message),
                CloudErrorCodes.Throttled => Error(400, "RequestThrottled", "RequestThrottled", e.Message),
                _ when e.MissingAction is { } action => Error(400, "AccessDenied", "AccessDeniedException",
                    $"User is not authorized to perform: {action.ToLowerInvariant()} on resource: {queueUrl}"),
                CloudErrorCodes.InvalidRequest => Error(400, "InvalidParameterValue", "InvalidParameterValue", e.Message),
                _ => Error(500, "InternalFailure", "InternalFailure", e.Message),
            };
        }
    }

    private static async Task<IResult> ReceiveAsync(SimulatedCloud cloud, string accessKey, string region, string queueUrl, JsonObject body,
        CancellationToken cancellationToken)
    {
        var max = body["MaxNumberOfMessages"]?.GetValue<int>() ?? 1;
        var deliveries = await cloud.ReceiveQueueMessagesAsync(accessKey, region, queueUrl, max, cancellationToken);
        var messages = new JsonArray([.. deliveries.Select(d => (JsonNode)new JsonObject
        {
            ["MessageId"] = d.MessageId,
            ["ReceiptHandle"] = d.ReceiptHandle,
            ["MD5OfBody"] = Md5(d.Body),
            ["Body"] = d.Body,
        })]);
        return Json(new JsonObject { ["Messages"] = messages });
    }

    private static async Task<IResult> DeleteBatchAsync(SimulatedCloud cloud, string accessKey, string region, string queueUrl, JsonObject body,
        CancellationToken cancellationToken)
    {
        var entries = (body["Entries"] as JsonArray ?? []).OfType<JsonObject>()
            .Select(e => (Id: e["Id"]?.GetValue<string>() ?? "", Handle: e["ReceiptHandle"]?.GetValue<string>() ?? "")).ToList();
        if (entries.Count is 0 or > 10) return Error(400, "AWS.SimpleQueueService.TooManyEntriesInBatchRequest", "TooManyEntriesInBatchRequest", "A batch holds 1–10 entries.");
        var deleted = (await cloud.DeleteQueueMessagesAsync(accessKey, region, queueUrl, [.. entries.Select(e => e.Handle)], cancellationToken))
            .ToHashSet(StringComparer.Ordinal);
        return Json(new JsonObject
        {
            ["Successful"] = new JsonArray([.. entries.Where(e => deleted.Contains(e.Handle)).Select(e => (JsonNode)new JsonObject { ["Id"] = e.Id })]),
            ["Failed"] = new JsonArray([.. entries.Where(e => !deleted.Contains(e.Handle)).Select(e => (JsonNode)new JsonObject
            {
                ["Id"] = e.Id, ["SenderFault"] = true, ["Code"] = "ReceiptHandleIsInvalid", ["Message"] = "The receipt handle is not the message's latest.",
            })]),
        });
    }

    /// <summary>The access key id of a SigV4 <c>Authorization</c> header (<c>… Credential=AKID/date/region/service/aws4_request, …</c>).</summary>
    internal static string? AccessKeyOf(string authorization)
    {
        const string marker = "Credential=";
        var start = authorization.IndexOf(marker, StringComparison.Ordinal);
        if (start < 0) return null;
        start += marker.Length;
        var end = authorization.IndexOf('/', start);
        return end > start ? authorization[start..end] : null;
    }

    // SQS sends each body's MD5 and AWSSDK.SQS checks it: an integrity check, not security.
#pragma warning disable CA5351
    private static string Md5(string body) => Convert.ToHexStringLower(MD5.HashData(System.Text.Encoding.UTF8.GetBytes(body)));
#pragma warning restore CA5351

    private static IResult Json(JsonObject body) => Results.Text(body.ToJsonString(), JsonContentType);

    /// <summary>SQS's JSON error: the type after <c>#</c> is the SDK's error code; the query-compatible code rides in a header.</summary>
    private static IResult Error(int status, string queryCode, string type, string message) =>
        new SqsError(status, queryCode, new JsonObject { ["__type"] = $"com.amazonaws.sqs#{type}", ["message"] = message }.ToJsonString());

    private sealed class SqsError(int status, string queryCode, string body) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = status;
            httpContext.Response.Headers["x-amzn-query-error"] = $"{queryCode};Sender";
            httpContext.Response.ContentType = JsonContentType;
            return httpContext.Response.WriteAsync(body);
        }
    }
}
