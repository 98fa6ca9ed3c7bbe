using System.Net;
using Amazon.Runtime;
using Amazon.Runtime.Signing;
using SpotOptimizer.Cloud.Aws;

namespace SpotOptimizer.Cloud.Tests.Aws;

public sealed class SigV4Tests
{
    private const string ExampleSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

    /// <summary>aws-sig-v4-test-suite "get-vanilla".</summary>
    [Fact]
    public void Reference_GetVanilla_MatchesAwsPublishedVector()
    {
        var headers = new Dictionary<string, string> { ["host"] = "example.amazonaws.com", ["x-amz-date"] = "20150830T123600Z" };

        var canonical = SigV4Reference.CanonicalRequest("GET", "/", "", ["host", "x-amz-date"], h => headers[h], SigV4Reference.PayloadHash([]));

        Assert.Equal("5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
            SigV4Reference.Signature(canonical, ExampleSecret, "20150830T123600Z", "us-east-1", "service"));
    }

    /// <summary>The IAM ListUsers example of the SigV4 documentation.</summary>
    [Fact]
    public void Reference_IamListUsers_MatchesAwsPublishedVector()
    {
        var headers = new Dictionary<string, string>
        {
            ["content-type"] = "application/x-www-form-urlencoded; charset=utf-8",
            ["host"] = "iam.amazonaws.com",
            ["x-amz-date"] = "20150830T123600Z",
        };

        var canonical = SigV4Reference.CanonicalRequest("GET", "/", "?Action=ListUsers&Version=2010-05-08", ["content-type", "host", "x-amz-date"],
            h => headers[h], SigV4Reference.PayloadHash([]));

        Assert.Equal("5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7",
            SigV4Reference.Signature(canonical, ExampleSecret, "20150830T123600Z", "us-east-1", "iam"));
    }

    /// <summary>
    /// AWSSDK.Core's signer always signs x-amz-content-sha256, so it cannot reproduce the vectors above; the S3
    /// "GET Object" example of the SigV4 documentation signs that header too, and it reproduces exactly.
    /// </summary>
    [Fact]
    public void AwsSdkSigner_S3GetObject_MatchesAwsPublishedVector()
    {
        var request = new AWSSigningRequest { HttpMethod = HttpMethod.Get, RequestUri = new Uri("https://examplebucket.s3.amazonaws.com/test.txt") };
        request.Headers["Range"] = "bytes=0-9";

        var signed = AWSSigV4Signer.Sign(request, new AWSSigV4Parameters
        {
            Credentials = new BasicAWSCredentials("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
            Region = Amazon.RegionEndpoint.USEast1,
            Service = "s3",
            SignedAt = new DateTime(2013, 5, 24, 0, 0, 0, DateTimeKind.Utc),
        });

        Assert.Equal(
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, " +
            "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41",
            signed.Headers["Authorization"]);
    }

    /// <summary>
    /// One fixed DescribeAutoScalingGroups call (time, credentials, endpoint) through the whole provider: the exact
    /// signature is known. Auto Scaling is signed by our client on the provider's clock; EC2 and STS are signed by
    /// their SDK clients on the SDK's own clock, so their signatures cannot be fixed in time.
    /// </summary>
    [Fact]
    public async Task DescribeAutoScalingGroups_FixedTimeAndCredentials_SignatureMatchesKnownVector()
    {
        var capture = new CapturingHandler();
        var clock = new TestClock(new DateTimeOffset(2015, 8, 30, 12, 36, 0, TimeSpan.Zero));
        using var cloud = new AwsCloud(new AwsCloudOptions(), clock, handler: capture);
        var session = new CloudSession(RoleArn.Parse("arn:aws:iam::111122223333:role/SpotOptimizerRole"), "discovery", "",
            new TemporaryCredentials("AKIDEXAMPLE", ExampleSecret, "session-token-example", clock.GetUtcNow().AddHours(1)));

        await cloud.AutoScaling.DescribeGroupsAsync(session, "us-east-1", []);

        var request = Assert.Single(capture.Requests);
        Assert.Equal("https://autoscaling.us-east-1.amazonaws.com/", request.Uri);
        Assert.Equal("Action=DescribeAutoScalingGroups&Version=2011-01-01&MaxRecords=100", request.Body);
        Assert.Equal("20150830T123600Z", request.Headers["X-Amz-Date"]);
        Assert.Equal("session-token-example", request.Headers["x-amz-security-token"]);
        var auth = SigV4Reference.Parse(request.Headers["Authorization"])!;
        Assert.Equal(["content-type", "host", "x-amz-content-sha256", "x-amz-date", "x-amz-security-token"], auth.SignedHeaders);
        var canonical = SigV4Reference.CanonicalRequest("POST", "/", "", auth.SignedHeaders,
            h => h == "host" ? "autoscaling.us-east-1.amazonaws.com" : request.Headers[h], SigV4Reference.PayloadHash(System.Text.Encoding.UTF8.GetBytes(request.Body)));
        Assert.Equal(SigV4Reference.Signature(canonical, ExampleSecret, "20150830T123600Z", "us-east-1", "autoscaling"), auth.Signature);
        // Also computed independently (Python hmac/hashlib over the same canonical request).
        Assert.Equal("45cb749ec59eaf638a35ad5240e36222d32720744b040ac40681cd0c0ea03566", auth.Signature);
    }

    [Fact]
    public async Task Requests_ToLoopback_CarryWellFormedAuthorization()
    {
        await using var bed = await AwsTestBed.StartAsync();
        bed.Endpoint.Handler = r => r.Service == "ec2" ? AwsResponses.DescribeInstances(null) : AwsResponses.Json(200, """{"clusters":[]}""");

        await bed.Cloud.Ec2.DescribeInstancesAsync(AwsTestBed.Session(), "eu-west-1");
        await bed.Cloud.Eks.ListClustersAsync(AwsTestBed.Session(), "eu-west-1");

        Assert.Equal(2, bed.Endpoint.Requests.Count);
        foreach (var request in bed.Endpoint.Requests)
        {
            var auth = SigV4Reference.Parse(request.Header("Authorization"));
            Assert.NotNull(auth);
            Assert.Equal((AwsTestBed.SessionAccessKey, "eu-west-1", request.Service), (auth.AccessKeyId, auth.Region, auth.Service));
            Assert.Equal(request.Header("X-Amz-Date")[..8], auth.Date);
            Assert.Matches("^[0-9]{8}T[0-9]{6}Z$", request.Header("X-Amz-Date"));
            Assert.Contains("host", auth.SignedHeaders);
            Assert.Contains("x-amz-date", auth.SignedHeaders);
            Assert.Contains("x-amz-security-token", auth.SignedHeaders);
            Assert.Equal(auth.SignedHeaders.Order(StringComparer.Ordinal), auth.SignedHeaders);
            Assert.Matches("^[0-9a-f]{64}$", auth.Signature);
        }
    }

    [Fact]
    public async Task Request_SignedWithAnotherSecret_RejectedByTheEndpointAsAwsWould()
    {
        await using var bed = await AwsTestBed.StartAsync();
        bed.Endpoint.Secrets[AwsTestBed.SessionAccessKey] = "not-the-secret-the-request-was-signed-with";
        bed.Endpoint.Handler = _ => AwsResponses.DescribeInstances(null);

        var error = await Assert.ThrowsAsync<CloudException>(() => bed.Cloud.Ec2.DescribeInstancesAsync(AwsTestBed.Session(), AwsTestBed.Region));

        Assert.Equal((CloudErrorCodes.SessionInvalid, "SignatureDoesNotMatch"), (error.Code, error.ProviderCode));
    }

    private sealed class CapturingHandler : HttpMessageHandler
    {
        public List<(string Uri, string Body, Dictionary<string, string> Headers)> Requests { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var headers = request.Headers.Concat(request.Content?.Headers ?? Enumerable.Empty<KeyValuePair<string, IEnumerable<string>>>())
                .ToDictionary(h => h.Key, h => string.Join(',', h.Value), StringComparer.OrdinalIgnoreCase);
            Requests.Add((request.RequestUri!.ToString(), request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken), headers));
            return new HttpResponseMessage(HttpStatusCode.OK)
            {
                Content = new StringContent(
                    """<DescribeAutoScalingGroupsResponse xmlns="http://autoscaling.amazonaws.com/doc/2011-01-01/"><DescribeAutoScalingGroupsResult><AutoScalingGroups/></DescribeAutoScalingGroupsResult></DescribeAutoScalingGroupsResponse>"""),
            };
        }
    }
}
