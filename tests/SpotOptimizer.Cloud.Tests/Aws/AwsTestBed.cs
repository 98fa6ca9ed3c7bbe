using Amazon.Runtime;
using SpotOptimizer.Cloud.Aws;

namespace SpotOptimizer.Cloud.Tests.Aws;

/// <summary>An <see cref="AwsCloud"/> whose every endpoint is the loopback <see cref="FakeAwsEndpoint"/>.</summary>
public sealed class AwsTestBed : IAsyncDisposable
{
    public const string OurAccessKey = "AKIDEXAMPLE";
    public const string OurSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    public const string SessionAccessKey = "ASIAIOSFODNN7EXAMPLE";
    public const string SessionSecret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY";
    public const string RoleArn = "arn:aws:iam::111122223333:role/SpotOptimizerRole";
    public const string ExternalId = "5d41402a-bc4b-4a76-b9a0-7c2f0e3c1a11";
    public const string Region = "us-east-1";

    private AwsTestBed(FakeAwsEndpoint endpoint, AwsCloud cloud)
    {
        Endpoint = endpoint;
        Cloud = cloud;
    }

    public FakeAwsEndpoint Endpoint { get; }

    public AwsCloud Cloud { get; }

    /// <param name="time">The provider's clock (signing, session expiry, "now" of current prices); the system clock when null.</param>
    public static async Task<AwsTestBed> StartAsync(Action<AwsCloudOptions>? configure = null, TimeProvider? time = null)
    {
        var endpoint = await FakeAwsEndpoint.StartAsync();
        endpoint.Secrets[OurAccessKey] = OurSecret;
        endpoint.Secrets[SessionAccessKey] = SessionSecret;
        var options = new AwsCloudOptions
        {
            Credentials = new BasicAWSCredentials(OurAccessKey, OurSecret),
            Endpoints = AwsEndpoints.AllAt(endpoint.BaseAddress),
            RetryBaseDelay = TimeSpan.FromMilliseconds(1),
            MaxRetryDelay = TimeSpan.FromMilliseconds(5),
            RequestTimeout = TimeSpan.FromSeconds(10),
        };
        configure?.Invoke(options);
        return new AwsTestBed(endpoint, new AwsCloud(options, time));
    }

    /// <summary>A session as STS would have issued it, with credentials the endpoint knows.</summary>
    public static CloudSession Session(DateTimeOffset? expiration = null) => new(
        SpotOptimizer.Cloud.RoleArn.Parse(RoleArn),
        "discovery",
        "arn:aws:sts::111122223333:assumed-role/SpotOptimizerRole/discovery",
        new TemporaryCredentials(SessionAccessKey, SessionSecret, "AQoDYXdzEPT//////////wEXAMPLE", expiration ?? DateTimeOffset.UtcNow.AddHours(1)));

    public async ValueTask DisposeAsync()
    {
        Cloud.Dispose();
        await Endpoint.DisposeAsync();
    }
}
