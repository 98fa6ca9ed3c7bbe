using SpotOptimizer.Cloud.Simulation;

namespace SpotOptimizer.Cloud.Tests.Simulation;

public sealed class SimulatedStsTests
{
    private const string Account = SimulatedWorld.DemoAccountId;
    private const string ExternalId = SimulatedTenant.ExternalId;

    private readonly TestClock _clock = new();
    private readonly SimulatedCloud _cloud;

    public SimulatedStsTests() => _cloud = new SimulatedCloud(SimulatedWorld.Demo(1), _clock);

    [Fact]
    public async Task AssumeRole_AfterDeployCustomerStack_ReturnsSessionForTheRole()
    {
        var arn = _cloud.DeployCustomerStack(Account, ExternalId);

        var session = await _cloud.AssumeRoleAsync(new RoleRequest(arn.ToString(), ExternalId, "onboarding", TimeSpan.FromMinutes(30)));

        Assert.Equal("arn:aws:iam::111122223333:role/SpotOptimizerRole", arn.ToString());
        Assert.Equal(Account, session.AccountId);
        Assert.Equal("arn:aws:sts::111122223333:assumed-role/SpotOptimizerRole/onboarding", session.AssumedRoleArn);
        Assert.StartsWith("ASIA", session.Credentials.AccessKeyId, StringComparison.Ordinal);
        Assert.NotEmpty(session.Credentials.SessionToken);
        Assert.Equal(_clock.GetUtcNow() + TimeSpan.FromMinutes(30), session.Expiration);
        Assert.DoesNotContain(session.Credentials.SecretAccessKey, session.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AssumeRole_WrongExternalId_ThrowsExternalIdMismatch()
    {
        var arn = _cloud.DeployCustomerStack(Account, ExternalId);

        var error = await Assert.ThrowsAsync<CloudException>(() =>
            _cloud.AssumeRoleAsync(new RoleRequest(arn.ToString(), "0b4a9c6e-0000-4000-8000-000000000000", "onboarding")));

        Assert.Equal(CloudErrorCodes.ExternalIdMismatch, error.Code);
        Assert.False(error.Retryable);
    }

    [Theory]
    [InlineData("arn:aws:iam::111122223333:role/SpotOptimizerRole")]
    [InlineData("arn:aws:iam::111122223333:role/OtherRole")]
    [InlineData("arn:aws:iam::999988887777:role/SpotOptimizerRole")]
    public async Task AssumeRole_RoleNeverDeployed_ThrowsRoleNotFound(string roleArn)
    {
        if (roleArn.Contains("OtherRole", StringComparison.Ordinal)) _cloud.DeployCustomerStack(Account, ExternalId);

        var error = await Assert.ThrowsAsync<CloudException>(() => _cloud.AssumeRoleAsync(new RoleRequest(roleArn, ExternalId, "onboarding")));

        Assert.Equal(CloudErrorCodes.RoleNotFound, error.Code);
    }

    [Theory]
    [InlineData("arn:aws:iam::11112222333:role/SpotOptimizerRole")]
    [InlineData("arn:aws:iam::111122223333:user/SpotOptimizerRole")]
    [InlineData("arn:aws:s3:::bucket")]
    [InlineData("SpotOptimizerRole")]
    [InlineData("")]
    public async Task AssumeRole_MalformedArn_ThrowsInvalidRoleArn(string roleArn)
    {
        var error = await Assert.ThrowsAsync<CloudException>(() => _cloud.AssumeRoleAsync(new RoleRequest(roleArn, ExternalId, "onboarding")));

        Assert.Equal(CloudErrorCodes.InvalidRoleArn, error.Code);
    }

    [Fact]
    public async Task AssumeRole_DurationOverTwelveHours_ThrowsInvalidRequest()
    {
        var arn = _cloud.DeployCustomerStack(Account, ExternalId);

        var error = await Assert.ThrowsAsync<CloudException>(() =>
            _cloud.AssumeRoleAsync(new RoleRequest(arn.ToString(), ExternalId, "onboarding", TimeSpan.FromHours(13))));

        Assert.Equal(CloudErrorCodes.InvalidRequest, error.Code);
    }

    [Fact]
    public void RoleArn_WithPath_RoundTrips()
    {
        Assert.True(RoleArn.TryParse("arn:aws:iam::111122223333:role/service/team/Spot.Optimizer", out var arn));
        Assert.Equal(("111122223333", "/service/team/", "Spot.Optimizer"), (arn.AccountId, arn.Path, arn.Name));
        Assert.Equal("arn:aws:iam::111122223333:role/service/team/Spot.Optimizer", arn.ToString());
    }

    [Fact]
    public async Task Call_AfterSessionExpiry_ThrowsSessionExpired()
    {
        var tenant = await SimulatedTenant.StartAsync();

        tenant.Clock.Advance(RoleRequest.DefaultDuration);

        var error = await Assert.ThrowsAsync<CloudException>(() => tenant.Cloud.Ec2.DescribeInstancesAsync(tenant.Session, SimulatedTenant.Region));
        Assert.Equal(CloudErrorCodes.SessionExpired, error.Code);
    }

    [Fact]
    public async Task Call_WithForgedSession_ThrowsSessionInvalid()
    {
        var tenant = await SimulatedTenant.StartAsync();
        var forged = tenant.Session with { Credentials = tenant.Session.Credentials with { SecretAccessKey = "guess" } };

        var error = await Assert.ThrowsAsync<CloudException>(() => tenant.Cloud.Eks.ListClustersAsync(forged, SimulatedTenant.Region));

        Assert.Equal(CloudErrorCodes.SessionInvalid, error.Code);
    }

    [Fact]
    public async Task DeleteCustomerStack_LiveSession_DeniedThenRoleNotFound()
    {
        var tenant = await SimulatedTenant.StartAsync();

        Assert.True(tenant.Cloud.DeleteCustomerStack(tenant.AccountId));

        var denied = await Assert.ThrowsAsync<CloudException>(() => tenant.Cloud.Eks.ListClustersAsync(tenant.Session, SimulatedTenant.Region));
        Assert.Equal(CloudErrorCodes.MissingPermission(CloudActions.ListClusters), denied.Code);
        var gone = await Assert.ThrowsAsync<CloudException>(() =>
            tenant.Cloud.AssumeRoleAsync(new RoleRequest(tenant.Session.Role.ToString(), ExternalId, "discovery")));
        Assert.Equal(CloudErrorCodes.RoleNotFound, gone.Code);
    }
}
