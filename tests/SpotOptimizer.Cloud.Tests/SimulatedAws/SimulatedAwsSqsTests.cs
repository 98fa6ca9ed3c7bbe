using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Amazon.Runtime;
using Amazon.SQS;
using Amazon.SQS.Model;
using SpotOptimizer.Cloud.Simulation;

namespace SpotOptimizer.Cloud.Tests.SimulatedAws;

/// <summary>
/// The customer stack's events queue on SQS's JSON wire, authenticated like the simulator's other services: SigV4 with a
/// key its STS issued, verified. A bad signature, no signature, an unknown key or the platform's own key are refused
/// as SQS refuses them (its Common Errors: 403, the query-compatible code in <c>x-amzn-query-error</c>).
/// </summary>
public sealed class SimulatedAwsSqsTests
{
    private static readonly string QueueUrl = InstanceEventQueue.UrlFor(SimulatedAwsHost.Region, SimulatedWorld.DemoAccountId);

    [Fact]
    public async Task Receive_SignedWithTheSessionsKey_ReadsTheInterruption()
    {
        await using var host = await SimulatedAwsHost.StartAsync();
        var spot = host.Cloud.World.FindAccount(SimulatedWorld.DemoAccountId)!.FindRegion(SimulatedAwsHost.Region)!.Instances
            .First(n => n.Instance.Lifecycle == InstanceLifecycle.Spot && n.TerminatedAt is null).Instance.InstanceId;
        host.Cloud.InterruptSpotInstance(SimulatedWorld.DemoAccountId, SimulatedAwsHost.Region, spot);
        using var sqs = Sqs(host, (await host.AssumeRoleAsync()).Credentials);

        var received = await sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = QueueUrl, MaxNumberOfMessages = 10 });

        var (parsed, _) = EventBridgeEvents.Parse(Assert.Single(received.Messages).Body, received.Messages[0].ReceiptHandle);
        Assert.Equal((InstanceEventKind.InterruptionWarning, spot), (parsed!.Kind, parsed.InstanceId));
    }

    [Fact]
    public async Task Receive_SignedWithTheWrongSecret_SignatureDoesNotMatch()
    {
        await using var host = await SimulatedAwsHost.StartAsync();
        var (_, issued) = await host.AssumeRoleAsync();
        using var sqs = Sqs(host, new SessionAWSCredentials(issued.AccessKeyId, issued.SecretAccessKey + "x", issued.SessionToken));

        var error = await Assert.ThrowsAsync<AmazonSQSException>(() => sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = QueueUrl }));

        Assert.Equal(("SignatureDoesNotMatch", HttpStatusCode.Forbidden), (error.ErrorCode, error.StatusCode));
    }

    [Fact]
    public async Task Receive_UnknownKey_InvalidClientTokenId()
    {
        await using var host = await SimulatedAwsHost.StartAsync();
        using var sqs = Sqs(host, new SessionAWSCredentials("ASIAUNKNOWNUNKNOWN00", "secret", "token"));

        var error = await Assert.ThrowsAsync<AmazonSQSException>(() => sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = QueueUrl }));

        Assert.Equal(("InvalidClientTokenId", HttpStatusCode.Forbidden), (error.ErrorCode, error.StatusCode));
    }

    [Fact]
    public async Task Receive_WithThePlatformsOwnKey_CannotReadACustomersQueue()
    {
        await using var host = await SimulatedAwsHost.StartAsync();
        using var sqs = Sqs(host, new BasicAWSCredentials(host.Platform.AccessKeyId, host.Platform.SecretAccessKey));

        var error = await Assert.ThrowsAsync<AmazonSQSException>(() => sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = QueueUrl }));

        Assert.Equal(("AccessDenied", HttpStatusCode.Forbidden), (error.ErrorCode, error.StatusCode));
    }

    [Fact]
    public async Task Receive_Unsigned_RefusedInSqsJsonErrorShape()
    {
        await using var host = await SimulatedAwsHost.StartAsync();
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, host.ServiceUrl("sqs"))
        {
            Content = new StringContent($$"""{"QueueUrl":"{{QueueUrl}}"}""", Encoding.UTF8, "application/x-amz-json-1.0"),
        };
        request.Headers.Add("X-Amz-Target", "AmazonSQS.ReceiveMessage");

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/x-amz-json-1.0", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("MissingAuthenticationToken;Sender", Assert.Single(response.Headers.GetValues("x-amzn-query-error")));
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        Assert.Equal("com.amazonaws.sqs#MissingAuthenticationToken", body["__type"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(body["message"]!.GetValue<string>()));
    }

    private static AmazonSQSClient Sqs(SimulatedAwsHost host, AWSCredentials credentials) =>
        new(credentials, new AmazonSQSConfig { ServiceURL = host.ServiceUrl("sqs"), AuthenticationRegion = SimulatedAwsHost.Region, MaxErrorRetry = 0 });
}
