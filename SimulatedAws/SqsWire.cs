using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using SpotOptimizer.Cloud;

namespace SpotOptimizer.SimulatedAws;

/// <summary>
/// The customer stack's events queue on SQS's own wire protocol (AWS JSON 1.0: a POST to the service root,
/// <c>X-Amz-Target: AmazonSQS.&lt;Operation&gt;</c>), so AWSSDK.SQS reads the simulated world as it reads AWS.
/// ReceiveMessage and DeleteMessageBatch only, what the platform calls. The caller is the STS session whose key signed
/// the request (verified like every service here); the platform's own key reads no customer's queue.
/// </summary>
internal static class SqsWire
{
    public const string ContentType = "application/x-amz-json-1.0";
    private const string TargetPrefix = "AmazonSQS.";

    public static async Task<WireReply> HandleAsync(WireRequest request)
    {
        var target = request.Context.Request.Headers["X-Amz-Target"].ToString();
        if (!target.StartsWith(TargetPrefix, StringComparison.Ordinal))
            throw new AwsWireException(400, "InvalidAction", "Missing or unknown X-Amz-Target.") { JsonType = "UnknownOperationException" };
        var session = request.RequireSession(AwsService.Sqs);
        JsonObject body;
        try
        {
            body = JsonNode.Parse(request.Body) as JsonObject ?? throw new JsonException("The request body is not a JSON object.");
        }
        catch (JsonException e)
        {
            throw new AwsWireException(400, "MalformedInput", e.Message) { JsonType = "SerializationException" };
        }

        var queueUrl = body["QueueUrl"]?.GetValue<string>() ?? "";
        try
        {
            return target[TargetPrefix.Length..] switch
            {
                "ReceiveMessage" => await ReceiveAsync(request, session, queueUrl, body),
                "DeleteMessageBatch" => await DeleteBatchAsync(request, session, queueUrl, body),
                var other => throw new AwsWireException(400, "InvalidAction", $"The simulator's SQS does not serve {other}.") { JsonType = "UnsupportedOperation" },
            };
        }
        catch (CloudException e)
        {
            throw From(e, queueUrl);
        }
    }

    /// <summary>The simulated cloud's refusal in SQS's words (the query-compatible code the SDK reports, and the JSON shape).</summary>
    private static AwsWireException From(CloudException error, string queueUrl) => error.Code switch
    {
        CloudErrorCodes.NotFound => new(400, "AWS.SimpleQueueService.NonExistentQueue", "The specified queue does not exist.") { JsonType = "QueueDoesNotExist" },
        CloudErrorCodes.SessionInvalid => WireErrors.UnknownKey(AwsService.Sqs),
        CloudErrorCodes.SessionExpired => WireErrors.Expired(AwsService.Sqs),
        CloudErrorCodes.Throttled => new(400, "RequestThrottled", error.Message),
        _ when error.MissingAction is { } action => new(400, "AccessDenied",
            $"User is not authorized to perform: {action.ToLowerInvariant()} on resource: {queueUrl}") { JsonType = "AccessDeniedException" },
        CloudErrorCodes.InvalidRequest => new(400, "InvalidParameterValue", error.Message),
        _ => new(500, "InternalFailure", error.Message),
    };

    private static async Task<WireReply> ReceiveAsync(WireRequest request, CloudSession session, string queueUrl, JsonObject body)
    {
        var max = body["MaxNumberOfMessages"]?.GetValue<int>() ?? 1;
        var deliveries = await request.Cloud.ReceiveQueueMessagesAsync(session, request.Region, queueUrl, max, request.Aborted);
        var messages = new JsonArray([.. deliveries.Select(d => (JsonNode)new JsonObject
        {
            ["MessageId"] = d.MessageId,
            ["ReceiptHandle"] = d.ReceiptHandle,
            ["MD5OfBody"] = Md5(d.Body),
            ["Body"] = d.Body,
        })]);
        return Json(request, new JsonObject { ["Messages"] = messages });
    }

    private static async Task<WireReply> DeleteBatchAsync(WireRequest request, CloudSession session, string queueUrl, JsonObject body)
    {
        var entries = (body["Entries"] as JsonArray ?? []).OfType<JsonObject>()
            .Select(e => (Id: e["Id"]?.GetValue<string>() ?? "", Handle: e["ReceiptHandle"]?.GetValue<string>() ?? "")).ToList();
        if (entries.Count is 0 or > 10)
            throw new AwsWireException(400, "AWS.SimpleQueueService.TooManyEntriesInBatchRequest", "A batch holds 1–10 entries.") { JsonType = "TooManyEntriesInBatchRequest" };
        var deleted = (await request.Cloud.DeleteQueueMessagesAsync(session, request.Region, queueUrl, [.. entries.Select(e => e.Handle)], request.Aborted))
            .ToHashSet(StringComparer.Ordinal);
        return Json(request, new JsonObject
        {
            ["Successful"] = new JsonArray([.. entries.Where(e => deleted.Contains(e.Handle)).Select(e => (JsonNode)new JsonObject { ["Id"] = e.Id })]),
            ["Failed"] = new JsonArray([.. entries.Where(e => !deleted.Contains(e.Handle)).Select(e => (JsonNode)new JsonObject
            {
                ["Id"] = e.Id, ["SenderFault"] = true, ["Code"] = "ReceiptHandleIsInvalid", ["Message"] = "The receipt handle is not the message's latest.",
            })]),
        });
    }

    // SQS sends each body's MD5 and AWSSDK.SQS checks it: an integrity check, not security.
#pragma warning disable CA5351
    private static string Md5(string body) => Convert.ToHexStringLower(MD5.HashData(System.Text.Encoding.UTF8.GetBytes(body)));
#pragma warning restore CA5351

    /// <summary>A successful answer: its body, and the request's ID in <c>x-amzn-RequestId</c> as SQS sends it with every answer.</summary>
    private static WireReply Json(WireRequest request, JsonObject body) => new(200, ContentType, body.ToJsonString())
    {
        Headers = new Dictionary<string, string> { ["x-amzn-RequestId"] = request.RequestId },
    };
}
