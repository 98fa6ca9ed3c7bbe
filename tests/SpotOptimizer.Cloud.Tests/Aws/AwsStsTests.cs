namespace SpotOptimizer.Cloud.Tests.Aws;

public sealed class AwsStsTests
{
    /// <summary>Plays STS as AWS does: only the right role with the right External ID succeeds; everything else is AccessDenied.</summary>
    private static FakeResponse Sts(RecordedRequest request) =>
        request.Form.GetValueOrDefault("RoleArn") == AwsTestBed.RoleArn && request.Form.GetValueOrDefault("ExternalId") == AwsTestBed.ExternalId
            ? AwsResponses.AssumeRole(AwsTestBed.SessionAccessKey, AwsTestBed.SessionSecret, AwsTestBed.RoleArn, request.Form["RoleSessionName"], "2026-03-02T10:30:00Z")
            : AwsResponses.QueryError(403, "AccessDenied",
                $"User: arn:aws:iam::999988887777:user/spotoptimizer is not authorized to perform: sts:AssumeRole on resource: {request.Form.GetValueOrDefault("RoleArn")}");

    [Fact]
    public async Task AssumeRole_TrustedExternalId_ReturnsParsedSession()
    {
        await using var bed = await AwsTestBed.StartAsync();
        bed.Endpoint.Handler = Sts;

        var session = await bed.Cloud.AssumeRoleAsync(new RoleRequest(AwsTestBed.RoleArn, AwsTestBed.ExternalId, "onboarding", TimeSpan.FromMinutes(20)));

        Assert.Equal(AwsTestBed.SessionAccessKey, session.Credentials.AccessKeyId);
        Assert.Equal(AwsTestBed.SessionSecret, session.Credentials.SecretAccessKey);
        Assert.StartsWith("AQoDYXdzEPT", session.Credentials.SessionToken, StringComparison.Ordinal);
        Assert.Equal(new DateTimeOffset(2026, 3, 2, 10, 30, 0, TimeSpan.Zero), session.Expiration);
        Assert.Equal("arn:aws:sts::111122223333:assumed-role/SpotOptimizerRole/onboarding", session.AssumedRoleArn);
        Assert.Equal("111122223333", session.AccountId);

        var request = Assert.Single(bed.Endpoint.Requests);
        Assert.Equal(("sts", "POST", "AssumeRole", "2011-06-15"), (request.Service, request.Method, request.Action, request.Form["Version"]));
        Assert.Equal(("onboarding", "1200", AwsTestBed.ExternalId), (request.Form["RoleSessionName"], request.Form["DurationSeconds"], request.Form["ExternalId"]));
        var auth = SigV4Reference.Parse(request.Header("Authorization"))!;
        Assert.Equal((AwsTestBed.OurAccessKey, "us-east-1", "sts"), (auth.AccessKeyId, auth.Region, auth.Service));
    }

    [Theory]
    [InlineData(AwsTestBed.RoleArn, "0b4a9c6e-0000-4000-8000-000000000000")]
    [InlineData("arn:aws:iam::111122223333:role/NoSuchRole", AwsTestBed.ExternalId)]
    public async Task AssumeRole_WrongExternalIdOrMissingRole_ThrowsAssumeRoleDeniedAsAwsCannotTellThemApart(string roleArn, string externalId)
    {
        await using var bed = await AwsTestBed.StartAsync();
        bed.Endpoint.Handler = Sts;

        var error = await Assert.ThrowsAsync<CloudException>(() => bed.Cloud.AssumeRoleAsync(new RoleRequest(roleArn, externalId, "onboarding")));

        Assert.Equal(CloudErrorCodes.AssumeRoleDenied, error.Code);
        Assert.Equal("AccessDenied", error.ProviderCode);
        Assert.False(error.Retryable);
        Assert.Single(bed.Endpoint.Requests);
    }

    [Fact]
    public async Task AssumeRole_MalformedArn_FailsWithoutCallingSts()
    {
        await using var bed = await AwsTestBed.StartAsync();

        var error = await Assert.ThrowsAsync<CloudException>(() =>
            bed.Cloud.AssumeRoleAsync(new RoleRequest("arn:aws:iam::1111:role/x", AwsTestBed.ExternalId, "onboarding")));

        Assert.Equal(CloudErrorCodes.InvalidRoleArn, error.Code);
        Assert.Empty(bed.Endpoint.Requests);
    }

    [Fact]
    public async Task AssumeRole_ThrottledOnce_RetriesThenSucceeds()
    {
        await using var bed = await AwsTestBed.StartAsync();
        var calls = 0;
        bed.Endpoint.Handler = r => Interlocked.Increment(ref calls) == 1 ? AwsResponses.QueryError(400, "Throttling", "Rate exceeded") : Sts(r);

        var session = await bed.Cloud.AssumeRoleAsync(new RoleRequest(AwsTestBed.RoleArn, AwsTestBed.ExternalId, "onboarding"));

        Assert.Equal(AwsTestBed.SessionAccessKey, session.Credentials.AccessKeyId);
        Assert.Equal(2, bed.Endpoint.Requests.Count);
    }

    [Theory]
    [InlineData(403, "InvalidClientTokenId", CloudErrorCodes.ProviderCredentialsInvalid)]
    [InlineData(403, "SignatureDoesNotMatch", CloudErrorCodes.ProviderCredentialsInvalid)]
    [InlineData(404, "NoSuchEntity", CloudErrorCodes.RoleNotFound)]
    [InlineData(403, "RegionDisabledException", CloudErrorCodes.RegionDisabled)]
    [InlineData(400, "ValidationError", CloudErrorCodes.InvalidRequest)]
    public async Task AssumeRole_StsError_MapsToStableCode(int status, string awsCode, string expected)
    {
        await using var bed = await AwsTestBed.StartAsync();
        bed.Endpoint.Handler = _ => AwsResponses.QueryError(status, awsCode, "Something about the request.");

        var error = await Assert.ThrowsAsync<CloudException>(() => bed.Cloud.AssumeRoleAsync(new RoleRequest(AwsTestBed.RoleArn, AwsTestBed.ExternalId, "onboarding")));

        Assert.Equal(expected, error.Code);
        Assert.Equal(awsCode, error.ProviderCode);
        Assert.Single(bed.Endpoint.Requests);
    }
}
