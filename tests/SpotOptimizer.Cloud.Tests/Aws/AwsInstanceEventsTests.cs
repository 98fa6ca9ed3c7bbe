using System.Text.Json;

namespace SpotOptimizer.Cloud.Tests.Aws;

/// <summary>The events queue through AWSSDK.SQS against a loopback endpoint that answers SQS's JSON protocol and checks SigV4.</summary>
public sealed class AwsInstanceEventsTests
{
    private const string QueueUrl = "https://sqs.us-east-1.amazonaws.com/111122223333/SpotOptimizerEvents";

    private static readonly string Warning = EventBridgeEvents.Write("evt-1", InstanceEventKind.InterruptionWarning, "111122223333", AwsTestBed.Region,
        "i-0123456789abcdef0", new DateTimeOffset(2026, 3, 2, 9, 30, 0, TimeSpan.Zero), instanceAction: "terminate");

    private static FakeResponse SqsJson(object body) => new(200, JsonSerializer.Serialize(body), "application/x-amz-json-1.0");

    private static FakeResponse SqsError(int status, string type, string queryCode, string message) => new(status,
        JsonSerializer.Serialize(new Dictionary<string, string> { ["__type"] = $"com.amazonaws.sqs#{type}", ["message"] = message }),
        "application/x-amz-json-1.0", new Dictionary<string, string> { ["x-amzn-query-error"] = $"{queryCode};Sender" });

    // SQS sends each body's MD5 and the SDK checks it.
#pragma warning disable CA5351 // MD5 is SQS's integrity check here, not security.
    private static string Md5(string body) => Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(System.Text.Encoding.UTF8.GetBytes(body)));
#pragma warning restore CA5351

    private static JsonElement Json(RecordedRequest request) => JsonDocument.Parse(request.BodyText).RootElement;

    [Fact]
    public async Task Receive_LongPollsTenWithTheSessionsCredentials_AndParsesEvents()
    {
        await using var bed = await AwsTestBed.StartAsync();
        bed.Endpoint.Handler = _ => SqsJson(new
        {
            Messages = new[]
            {
                new { MessageId = "m-1", ReceiptHandle = "rh-1", MD5OfBody = Md5(Warning), Body = Warning },
                new { MessageId = "m-2", ReceiptHandle = "rh-2", MD5OfBody = Md5("{\"hello\":1}"), Body = "{\"hello\":1}" },
            },
        });

        var batch = await bed.Cloud.Events.ReceiveAsync(AwsTestBed.Session(), AwsTestBed.Region, QueueUrl, TimeSpan.FromSeconds(20));

        var received = Assert.Single(batch.Events);
        Assert.Equal(("evt-1", InstanceEventKind.InterruptionWarning, "i-0123456789abcdef0", "rh-1"), (received.EventId, received.Kind, received.InstanceId, received.ReceiptHandle));
        Assert.Equal(("m-2", "rh-2"), (Assert.Single(batch.Malformed).MessageId, batch.Malformed[0].ReceiptHandle));
        var request = Assert.Single(bed.Endpoint.Requests);
        Assert.Equal(("sqs", AwsTestBed.Region, "AmazonSQS.ReceiveMessage"), (request.Service, request.Region, request.Header("X-Amz-Target")));
        Assert.StartsWith("application/x-amz-json-1.0", request.Header("Content-Type"), StringComparison.Ordinal);
        var body = Json(request);
        Assert.Equal((QueueUrl, 10, 20), (body.GetProperty("QueueUrl").GetString(), body.GetProperty("MaxNumberOfMessages").GetInt32(), body.GetProperty("WaitTimeSeconds").GetInt32()));
        var auth = SigV4Reference.Parse(request.Header("Authorization"))!;
        Assert.Equal((AwsTestBed.SessionAccessKey, "us-east-1", "sqs"), (auth.AccessKeyId, auth.Region, auth.Service));
    }

    [Fact]
    public async Task Receive_Throttled_IsRetriedByOurPipelineOnly()
    {
        await using var bed = await AwsTestBed.StartAsync(o => o.MaxRetries = 2);
        var calls = 0;
        bed.Endpoint.Handler = _ => Interlocked.Increment(ref calls) == 1
            ? SqsError(400, "ThrottlingException", "ThrottlingException", "Rate exceeded")
            : SqsJson(new { Messages = Array.Empty<object>() });

        var batch = await bed.Cloud.Events.ReceiveAsync(AwsTestBed.Session(), AwsTestBed.Region, QueueUrl, TimeSpan.Zero);

        Assert.Empty(batch.Events);
        Assert.Equal(2, bed.Endpoint.Requests.Count);
    }

    [Fact]
    public async Task Receive_QueueMissing_IsNotFound()
    {
        await using var bed = await AwsTestBed.StartAsync();
        bed.Endpoint.Handler = _ => SqsError(400, "QueueDoesNotExist", "AWS.SimpleQueueService.NonExistentQueue", "The specified queue does not exist.");

        var error = await Assert.ThrowsAsync<CloudException>(() => bed.Cloud.Events.ReceiveAsync(AwsTestBed.Session(), AwsTestBed.Region, QueueUrl, TimeSpan.Zero));

        Assert.Equal((CloudErrorCodes.NotFound, false, CloudActions.ReceiveMessage), (error.Code, error.Retryable, error.Operation));
        Assert.Single(bed.Endpoint.Requests);
    }

    [Fact]
    public async Task Receive_AccessDenied_NamesTheMissingAction()
    {
        await using var bed = await AwsTestBed.StartAsync();
        bed.Endpoint.Handler = _ => SqsError(403, "AccessDeniedException", "AccessDenied", "User is not authorized to perform: sqs:receivemessage");

        var error = await Assert.ThrowsAsync<CloudException>(() => bed.Cloud.Events.ReceiveAsync(AwsTestBed.Session(), AwsTestBed.Region, QueueUrl, TimeSpan.Zero));

        Assert.Equal(CloudErrorCodes.MissingPermission(CloudActions.ReceiveMessage), error.Code);
    }

    [Fact]
    public async Task Acknowledge_DeletesInBatchesOfTen()
    {
        await using var bed = await AwsTestBed.StartAsync();
        bed.Endpoint.Handler = request => SqsJson(new
        {
            Successful = Json(request).GetProperty("Entries").EnumerateArray().Select(e => new { Id = e.GetProperty("Id").GetString() }).ToArray(),
            Failed = Array.Empty<object>(),
        });
        var handles = Enumerable.Range(1, 12).Select(i => $"rh-{i}").ToList();

        await bed.Cloud.Events.AcknowledgeAsync(AwsTestBed.Session(), AwsTestBed.Region, QueueUrl, handles);

        var requests = bed.Endpoint.Requests.ToList();
        Assert.All(requests, r => Assert.Equal("AmazonSQS.DeleteMessageBatch", r.Header("X-Amz-Target")));
        Assert.Equal([10, 2], requests.Select(r => Json(r).GetProperty("Entries").GetArrayLength()));
        Assert.Equal(handles, requests.SelectMany(r => Json(r).GetProperty("Entries").EnumerateArray().Select(e => e.GetProperty("ReceiptHandle").GetString()!)));
    }
}
