using System.Net;
using System.Text.Json;
using SpotOptimizer.Cloud.Simulation;
using static SpotOptimizer.Cloud.Tests.SimulatedAws.ReferenceWire;

namespace SpotOptimizer.Cloud.Tests.SimulatedAws;

/// <summary>
/// The simulator's raw SQS answers (AWS JSON 1.0) held to AWS's examples (<see cref="SqsReferenceExamples"/>): the
/// events queue's ReceiveMessage and DeleteMessageBatch, and SQS's JSON error with its headers.
/// </summary>
public sealed class SimulatedAwsSqsReferenceTests
{
    private static readonly string QueueUrl = InstanceEventQueue.UrlFor(SimulatedAwsHost.Region, SimulatedWorld.DemoAccountId);

    [Fact]
    public async Task ReceiveAndDeleteBatch_PropertiesAsInTheReference()
    {
        await using var host = await SimulatedAwsHost.StartAsync();
        var spot = host.Cloud.World.FindAccount(SimulatedWorld.DemoAccountId)!.FindRegion(SimulatedAwsHost.Region)!.Instances
            .First(n => n.Instance.Lifecycle == InstanceLifecycle.Spot && n.TerminatedAt is null).Instance.InstanceId;
        host.Cloud.InterruptSpotInstance(SimulatedWorld.DemoAccountId, SimulatedAwsHost.Region, spot);
        var credentials = (await host.AssumeRoleAsync()).Credentials;

        var received = await CallAsync(host, credentials, "ReceiveMessage", $$"""{"QueueUrl":"{{QueueUrl}}","MaxNumberOfMessages":10}""");
        Assert.True(received.Status == HttpStatusCode.OK, $"{received.Status}: {received.Body}");
        var handle = JsonDocument.Parse(received.Body).RootElement.GetProperty("Messages")[0].GetProperty("ReceiptHandle").GetString();
        var deleted = await CallAsync(host, credentials, "DeleteMessageBatch",
            $$"""{"QueueUrl":"{{QueueUrl}}","Entries":[{"Id":"first","ReceiptHandle":"{{handle}}"},{"Id":"stale","ReceiptHandle":"not-a-handle"}]}""");

        Assert.True(deleted.Status == HttpStatusCode.OK, $"{deleted.Status}: {deleted.Body}");
        AssertJsonShape(SqsReferenceExamples.ReceiveMessage, received.Body,
            ["$.Messages[].MessageId", "$.Messages[].ReceiptHandle", "$.Messages[].MD5OfBody", "$.Messages[].Body"]);
        AssertJsonShape(SqsReferenceExamples.DeleteMessageBatch, deleted.Body,
            ["$.Successful[].Id", "$.Failed[].Id", "$.Failed[].SenderFault", "$.Failed[].Code", "$.Failed[].Message"]);
        // "If the request is successful, the main response element is x-amzn-RequestId" (the Developer Guide's page).
        Assert.All([received, deleted], a => Assert.True(Guid.TryParse(a.Headers.GetValueOrDefault("x-amzn-RequestId"), out _)));
    }

    [Fact]
    public async Task Error_NoSuchQueue_AsTheDeveloperGuidesExample()
    {
        await using var host = await SimulatedAwsHost.StartAsync();
        var credentials = (await host.AssumeRoleAsync()).Credentials;

        var answer = await CallAsync(host, credentials, "ReceiveMessage",
            $$"""{"QueueUrl":"https://sqs.{{SimulatedAwsHost.Region}}.amazonaws.com/{{SimulatedWorld.DemoAccountId}}/no-such-queue"}""");

        Assert.True(answer.Status == HttpStatusCode.BadRequest, $"{answer.Status}: {answer.Body}");
        Assert.Equal(SqsReferenceExamples.QueryError, answer.Headers["x-amzn-query-error"]);
        Assert.True(Guid.TryParse(answer.Headers["x-amzn-RequestId"], out _));
        Assert.Equal(JsonDocument.Parse(SqsReferenceExamples.Error).RootElement.GetProperty("__type").GetString(),
            JsonDocument.Parse(answer.Body).RootElement.GetProperty("__type").GetString());
        AssertJsonShape(SqsReferenceExamples.Error, answer.Body, ["$.__type", "$.message"]);
    }

    private static Task<WireAnswer> CallAsync(SimulatedAwsHost host, Amazon.Runtime.AWSCredentials credentials, string operation, string body) =>
        SendAsync(host, credentials, "sqs", HttpMethod.Post, "", body, "application/x-amz-json-1.0",
            new Dictionary<string, string> { ["X-Amz-Target"] = "AmazonSQS." + operation });
}
