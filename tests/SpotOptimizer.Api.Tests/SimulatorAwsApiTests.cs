using SpotOptimizer.Cloud.Simulation;
using System.Net;
using System.Text;
using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Signing;
using SpotOptimizer.SimulatedAws;

namespace SpotOptimizer.Api.Tests;

/// <summary>The host serves the simulator's AWS wire under /simulator/aws only when Simulator:ServeAws is true.</summary>
public sealed class SimulatorAwsApiTests
{
    [Fact]
    public async Task GetCallerIdentity_ServeAwsOn_AnswersThePlatformsIdentity()
    {
        await using var app = SpotOptimizerApp.With(new Dictionary<string, string?> { ["Simulator:ServeAws"] = "true" });
        using var client = app.CreateClient();
        var platform = new SimulatedAwsOptions();

        var (status, body) = await GetCallerIdentityAsync(client, new BasicAWSCredentials(platform.AccessKeyId, platform.SecretAccessKey));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains($"<Arn>arn:aws:iam::{platform.AccountId}:user/{platform.UserName}</Arn>", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetCallerIdentity_WrongSecret_SignatureDoesNotMatch()
    {
        await using var app = SpotOptimizerApp.With(new Dictionary<string, string?> { ["Simulator:ServeAws"] = "true" });
        using var client = app.CreateClient();

        var (status, body) = await GetCallerIdentityAsync(client, new BasicAWSCredentials(new SimulatedAwsOptions().AccessKeyId, "not-the-platform-secret"));

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Contains("<Code>SignatureDoesNotMatch</Code>", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetCallerIdentity_ServeAwsOff_NotServed()
    {
        await using var app = SpotOptimizerApp.Sqlite();
        using var client = app.CreateClient();
        var platform = new SimulatedAwsOptions();

        var (_, body) = await GetCallerIdentityAsync(client, new BasicAWSCredentials(platform.AccessKeyId, platform.SecretAccessKey));

        Assert.DoesNotContain("GetCallerIdentityResponse", body, StringComparison.Ordinal);
    }

    private static async Task<(HttpStatusCode Status, string Body)> GetCallerIdentityAsync(HttpClient client, AWSCredentials credentials)
    {
        var uri = new Uri(client.BaseAddress!, "/simulator/aws/sts/us-east-1/");
        var body = Encoding.UTF8.GetBytes("Action=GetCallerIdentity&Version=2011-06-15");
        const string ContentType = "application/x-www-form-urlencoded; charset=utf-8";
        var signing = new AWSSigningRequest { HttpMethod = HttpMethod.Post, RequestUri = uri, Content = body };
        signing.Headers["Content-Type"] = ContentType;
        var signed = await AWSSigV4Signer.SignAsync(signing, new AWSSigV4Parameters
        {
            Credentials = credentials, Region = RegionEndpoint.USEast1, Service = "sts", SignedAt = DateTime.UtcNow,
        });
        using var message = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new ByteArrayContent(body) };
        message.Content.Headers.TryAddWithoutValidation("Content-Type", ContentType);
        foreach (var (name, value) in signed.Headers) message.Headers.TryAddWithoutValidation(name, value);
        using var response = await client.SendAsync(message);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
