using Amazon.EC2;
using Amazon.Runtime;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using SpotOptimizer.Cloud.Simulation;
using SpotOptimizer.SimulatedAws;

namespace SpotOptimizer.Cloud.Tests.SimulatedAws;

/// <summary>
/// The demo world's simulator served on AWS's wire by a real Kestrel server on loopback, under <see cref="Prefix"/>, with
/// the customer's stack deployed: what the AWS SDK and the AWS provider talk to in these tests.
/// </summary>
public sealed class SimulatedAwsHost : IAsyncDisposable
{
    public const string Prefix = "/simulator/aws";
    public const string Region = SimulatedWorld.DemoRegion;
    public const string ExternalId = "5d41402a-bc4b-4a76-b9a0-7c2f0e3c1a11";

    private readonly WebApplication _app;

    private SimulatedAwsHost(WebApplication app, SimulatedCloud cloud, TestClock clock, string roleArn)
    {
        _app = app;
        Cloud = cloud;
        Clock = clock;
        RoleArn = roleArn;
        BaseAddress = new Uri(app.Urls.First() + Prefix);
    }

    public SimulatedCloud Cloud { get; }

    public TestClock Clock { get; }

    public string RoleArn { get; }

    /// <summary><c>http://127.0.0.1:port/simulator/aws</c>: what <c>AwsEndpoints.AllAt</c> takes.</summary>
    public Uri BaseAddress { get; }

    public SimulatedAwsOptions Platform { get; } = new();

    /// <param name="allowedActions">The role's policy; every required action when null.</param>
    public static async Task<SimulatedAwsHost> StartAsync(IEnumerable<string>? allowedActions = null, int seed = 7)
    {
        // The simulator's clock starts at the real time: the SDK signs with the machine's clock.
        // Whole seconds: times cross the wire with millisecond precision, and tests compare them with the clock's.
        var now = DateTimeOffset.UtcNow;
        var clock = new TestClock(now.AddTicks(-(now.UtcTicks % TimeSpan.TicksPerSecond)));
        var cloud = new SimulatedCloud(SimulatedWorld.Demo(seed, clock.GetUtcNow().AddDays(-1)), clock);
        var arn = cloud.DeployCustomerStack(SimulatedWorld.DemoAccountId, ExternalId, allowedActions: allowedActions);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(cloud);
        builder.Services.AddSingleton<TimeProvider>(clock);
        var app = builder.Build();
        app.MapSimulatedAws(Prefix);
        await app.StartAsync();
        return new SimulatedAwsHost(app, cloud, clock, arn.ToString());
    }

    public string ServiceUrl(string service) => $"{BaseAddress}/{service}/{Region}/";

    public AmazonSecurityTokenServiceClient Sts(AWSCredentials? credentials = null) =>
        new(credentials ?? new BasicAWSCredentials(Platform.AccessKeyId, Platform.SecretAccessKey),
            new AmazonSecurityTokenServiceConfig { ServiceURL = ServiceUrl("sts"), AuthenticationRegion = Region, MaxErrorRetry = 0 });

    public AmazonEC2Client Ec2(AWSCredentials credentials) =>
        new(credentials, new AmazonEC2Config { ServiceURL = ServiceUrl("ec2"), AuthenticationRegion = Region, MaxErrorRetry = 0 });

    /// <summary>AssumeRole through the wire's STS with the platform's key: the session's credentials for the SDK.</summary>
    public async Task<(SessionAWSCredentials Credentials, Credentials Issued)> AssumeRoleAsync()
    {
        using var sts = Sts();
        var response = await sts.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = RoleArn, ExternalId = ExternalId, RoleSessionName = "contract-test", DurationSeconds = 900 });
        var issued = response.Credentials;
        return (new SessionAWSCredentials(issued.AccessKeyId, issued.SecretAccessKey, issued.SessionToken), issued);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
