using System.Net;
using Amazon.Runtime;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using Amazon.SQS;
using Amazon.SQS.Model;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SpotOptimizer.Cloud;
using SpotOptimizer.Cloud.Simulation;
using SpotOptimizer.SimulatedAws;

namespace SpotOptimizer.Api.Tests.Onboarding;

/// <summary>
/// The customer stack's events queue on SQS's wire under <c>/simulator/aws</c>, read with the real AmazonSQSClient
/// (through the test server's handler) with a session its STS issued on the wire: what the platform's AWS provider does
/// against the simulator.
/// </summary>
public sealed class SimulatorSqsApiTests : IAsyncLifetime
{
    private const string Region = SimulatedWorld.DemoRegion;
    private const string ExternalId = "0b9f7a36-3c55-4bb9-9d0c-6c1f7b9d8e21";
    private static readonly string QueueUrl = InstanceEventQueue.UrlFor(Region, SimulatedWorld.DemoAccountId);
    private readonly SpotOptimizerApp _app = SpotOptimizerApp.With(new Dictionary<string, string?> { [SpotOptimizer.Silo.CloudSelection.ServeAwsKey] = "true" });

    private SimulatedCloud Cloud => _app.Services.GetRequiredService<SimulatedCloud>();

    public Task InitializeAsync()
    {
        _ = _app.Server;
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    /// <summary>
    /// Deploys the stack and assumes its role through the simulator's STS on the wire with the platform's key, as the AWS
    /// provider does: the SQS wire verifies signatures, so it knows only the keys its own STS issued.
    /// </summary>
    private async Task<AWSCredentials> SessionAsync(IEnumerable<string>? allowedActions = null)
    {
        var role = Cloud.DeployCustomerStack(SimulatedWorld.DemoAccountId, ExternalId, allowedActions: allowedActions);
        var platform = _app.Services.GetRequiredService<IConfiguration>().GetSection(SimulatedAwsOptions.SectionName).Get<SimulatedAwsOptions>() ?? new SimulatedAwsOptions();
        using var sts = new AmazonSecurityTokenServiceClient(new BasicAWSCredentials(platform.AccessKeyId, platform.SecretAccessKey), new AmazonSecurityTokenServiceConfig
        {
            ServiceURL = ServiceUrl("sts"),
            AuthenticationRegion = Region,
            MaxErrorRetry = 0,
            HttpClientFactory = new TestServerClients(_app),
        });
        var issued = (await sts.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = role.ToString(), ExternalId = ExternalId, RoleSessionName = "sqs-wire-test" })).Credentials;
        return new SessionAWSCredentials(issued.AccessKeyId, issued.SecretAccessKey, issued.SessionToken);
    }

    private string ServiceUrl(string service) => new Uri(_app.Server.BaseAddress, $"simulator/aws/{service}/{Region}/").ToString();

    private AmazonSQSClient Client(AWSCredentials credentials) => new(credentials, new AmazonSQSConfig
    {
        ServiceURL = ServiceUrl("sqs"),
        AuthenticationRegion = Region,
        MaxErrorRetry = 0,
        HttpClientFactory = new TestServerClients(_app),
    });

    private string LiveSpot() => Cloud.World.FindAccount(SimulatedWorld.DemoAccountId)!.FindRegion(Region)!.Instances
        .First(n => n.Instance.Lifecycle == InstanceLifecycle.Spot && n.TerminatedAt is null).Instance.InstanceId;

    [Fact]
    public async Task ReceiveThenDeleteBatch_ThroughAmazonSqsClient_ReadsTheInterruptionAndEmptiesTheQueue()
    {
        var session = await SessionAsync();
        var spot = LiveSpot();
        Cloud.InterruptSpotInstance(SimulatedWorld.DemoAccountId, Region, spot);
        using var sqs = Client(session);

        var received = await sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = QueueUrl, MaxNumberOfMessages = 10, WaitTimeSeconds = 20 });

        var message = Assert.Single(received.Messages);
        var (parsed, _) = EventBridgeEvents.Parse(message.Body, message.ReceiptHandle);
        Assert.Equal((InstanceEventKind.InterruptionWarning, spot, "terminate"), (parsed!.Kind, parsed.InstanceId, parsed.InstanceAction));
        var deleted = await sqs.DeleteMessageBatchAsync(new DeleteMessageBatchRequest
        {
            QueueUrl = QueueUrl,
            Entries = [new DeleteMessageBatchRequestEntry("a", message.ReceiptHandle), new DeleteMessageBatchRequestEntry("b", "stale-handle")],
        });
        Assert.Equal("a", Assert.Single(deleted.Successful).Id);
        Assert.Equal(("b", "ReceiptHandleIsInvalid"), (Assert.Single(deleted.Failed).Id, deleted.Failed[0].Code));
        Assert.DoesNotContain(Cloud.World.FindAccount(SimulatedWorld.DemoAccountId)!.FindEventQueue(Region)!.Messages, m => m.MessageId == message.MessageId);
    }

    [Fact]
    public async Task Receive_NoStackInTheRegion_QueueDoesNotExist()
    {
        var session = await SessionAsync();
        using var sqs = Client(session);

        await Assert.ThrowsAsync<QueueDoesNotExistException>(() =>
            sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = InstanceEventQueue.UrlFor(Region, SimulatedWorld.DemoAccountId).Replace(InstanceEventQueue.QueueName, "Other", StringComparison.Ordinal) }));
    }

    [Fact]
    public async Task Receive_RoleWithoutTheAction_AccessDenied()
    {
        var session = await SessionAsync(RequiredPermissions.Actions.Except([CloudActions.ReceiveMessage]));
        using var sqs = Client(session);

        var error = await Assert.ThrowsAsync<AmazonSQSException>(() => sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = QueueUrl }));

        // SQS's JSON protocol is query-compatible: the SDK reports the x-amzn-query-error code, as with real SQS.
        Assert.Equal(("AccessDenied", HttpStatusCode.BadRequest), (error.ErrorCode, error.StatusCode));
        Assert.Contains("sqs:receivemessage", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Receive_UnknownAccessKey_IsRejected()
    {
        await SessionAsync();
        using var sqs = Client(new SessionAWSCredentials("ASIAUNKNOWNUNKNOWN00", "secret", "token"));

        var error = await Assert.ThrowsAsync<AmazonSQSException>(() => sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = QueueUrl }));

        Assert.Equal("InvalidClientTokenId", error.ErrorCode);
    }

    [Fact]
    public async Task WithoutServeAws_TheRouteIsNotMapped()
    {
        await using var app = SpotOptimizerApp.Sqlite();
        using var response = await app.CreateClient().PostAsync($"/simulator/aws/sqs/{Region}/", new StringContent("{}"));

        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.NotEqual("application/x-amz-json-1.0", response.Content.Headers.ContentType?.MediaType);
    }

    /// <summary>The SDK's HTTP through the in-memory test server.</summary>
    private sealed class TestServerClients(SpotOptimizerApp app) : HttpClientFactory
    {
        public override HttpClient CreateHttpClient(IClientConfig clientConfig) => new(new PlainUris(app.Server.CreateHandler()));

        public override bool UseSDKHttpClientCaching(IClientConfig clientConfig) => false;

        public override bool DisposeHttpClientsAfterUse(IClientConfig clientConfig) => true;
    }

    /// <summary>
    /// The SDK builds its URIs without path canonicalization (it signs the path as written), which the test server cannot
    /// read; the same address as a plain URI has the same path, so the signature the simulator verifies still holds.
    /// </summary>
    private sealed class PlainUris(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.RequestUri = new Uri(request.RequestUri!.AbsoluteUri);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
