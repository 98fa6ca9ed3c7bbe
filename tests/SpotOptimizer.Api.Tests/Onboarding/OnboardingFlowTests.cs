using System.Net;
using SpotOptimizer.Cloud.Simulation;
using SpotOptimizer.Grains.Interfaces.Accounts;
using Orleans;
using SpotOptimizer.Testing;

namespace SpotOptimizer.Api.Tests.Onboarding;

/// <summary>
/// A new customer, end to end through HTTP: sign up, link the simulated AWS account, see its clusters, connect
/// one, and watch it turn green when its agent heartbeats. Runs on SQLite and on PostgreSQL.
/// </summary>
public abstract class OnboardingFlowTests : IAsyncLifetime
{
    protected SpotOptimizerApp App { get; private set; } = null!;

    protected abstract Task<SpotOptimizerApp> CreateAppAsync();

    public async Task InitializeAsync() => App = await CreateAppAsync();

    public virtual async Task DisposeAsync() => await App.DisposeAsync();

    [SkippableFact]
    public async Task NewCustomer_SignUpToGreenCluster_EveryStepWorksAndIsRecorded()
    {
        var tenant = await TenantClient.SignUpAsync(App);
        Assert.Equal("/onboarding", (await tenant.GetJsonAsync("/api/auth/me")).GetProperty("redirect_path").GetString());

        var accountId = await Journey.LinkAccountAsync(tenant, "210987654321");
        Assert.Equal("/dashboard", (await tenant.GetJsonAsync("/api/auth/me")).GetProperty("redirect_path").GetString());

        var discovered = await tenant.GetJsonAsync($"/api/clusters/discover?account_id={accountId}");
        Assert.Equal(2, discovered.GetProperty("clusters").GetArrayLength());
        var (clusterId, agentToken, helm) = await Journey.ConnectFirstClusterAsync(tenant, accountId);
        Assert.Contains($"--set agent.token={agentToken}", helm, StringComparison.Ordinal);
        Assert.Equal(1, (await tenant.GetJsonAsync($"/api/clusters/discover?account_id={accountId}")).GetProperty("clusters").GetArrayLength());
        Assert.Equal("red", (await tenant.GetJsonAsync($"/api/clusters/{clusterId}/verify")).GetProperty("status").GetString());

        using (var beat = await Journey.HeartbeatAsync(App.CreateClient(), agentToken))
        {
            var ack = await TenantClient.ExpectAsync(beat, HttpStatusCode.OK);
            Assert.Equal(clusterId, ack.GetProperty("cluster_id").GetString());
            Assert.Equal(1, ack.GetProperty("policy_version").GetInt32());
        }

        var check = await tenant.GetJsonAsync($"/api/clusters/{clusterId}/verify");
        Assert.Equal("green", check.GetProperty("status").GetString());
        Assert.NotEqual(System.Text.Json.JsonValueKind.Null, check.GetProperty("last_seen").ValueKind);
        var managed = (await tenant.GetJsonAsync("/api/client/clusters")).GetProperty("clusters").EnumerateArray().Single();
        Assert.Equal(clusterId, managed.GetProperty("cluster_id").GetString());
        Assert.Equal("green", managed.GetProperty("agent_status").GetString());

        var actions = await Journey.ActivityActionsAsync(tenant);
        Assert.Equal(
            ["cluster.agent_reporting", "cluster.connected", "account.discovery_completed", "account.verified", "account.link_started", "organization.signed_up"],
            actions);
    }

    [SkippableFact]
    public async Task Verify_StackDeployedWithAnotherExternalId_422ExternalIdMismatchThenSucceedsAfterRedeploy()
    {
        var tenant = await TenantClient.SignUpAsync(App);
        await tenant.PostJsonAsync("/api/connect/link", null);
        var stack = await tenant.PostJsonAsync("/api/simulator/stacks", new { aws_account_id = "310987654321", external_id = Guid.NewGuid() });
        var verify = new { account_id = "310987654321", role_arn = stack.GetProperty("role_arn").GetString() };

        var problem = await tenant.PostJsonAsync("/api/connect/verify", verify, HttpStatusCode.UnprocessableEntity);
        Assert.Equal("external_id_mismatch", problem.GetProperty("code").GetString());

        var accountId = await Journey.LinkAccountAsync(tenant, "310987654321");
        Assert.False(string.IsNullOrEmpty(accountId));
    }

    [SkippableFact]
    public async Task Verify_RoleMissing_422RoleNotFound()
    {
        var tenant = await TenantClient.SignUpAsync(App);
        await tenant.PostJsonAsync("/api/connect/link", null);

        var problem = await tenant.PostJsonAsync("/api/connect/verify",
            new { account_id = "410987654321", role_arn = "arn:aws:iam::410987654321:role/SpotOptimizerRole" }, HttpStatusCode.UnprocessableEntity);

        Assert.Equal("role_not_found", problem.GetProperty("code").GetString());
    }

    [SkippableFact]
    public async Task Verify_AwsAccountLinkedByAnotherTenant_422AccountAlreadyLinked()
    {
        await Journey.LinkAccountAsync(await TenantClient.SignUpAsync(App), "510987654321");
        var second = await TenantClient.SignUpAsync(App);
        var link = await second.PostJsonAsync("/api/connect/link", null);
        // The simulated console refuses a linked account to other tenants, so the "customer" deploys through the simulator itself.
        var role = App.Services.GetRequiredService<SimulatedCloud>().DeployCustomerStack("510987654321", link.GetProperty("external_id").GetString()!, "SecondRole");

        var problem = await second.PostJsonAsync("/api/connect/verify",
            new { account_id = "510987654321", role_arn = role.ToString() }, HttpStatusCode.UnprocessableEntity);

        Assert.Equal("account_already_linked", problem.GetProperty("code").GetString());
    }

    [SkippableFact]
    public async Task SimulatedConsole_AccountLinkedByAnotherTenant_404AndOwnersLinkUntouched()
    {
        var owner = await TenantClient.SignUpAsync(App);
        var accountId = await Journey.LinkAccountAsync(owner, "520987654321");
        var intruder = await TenantClient.SignUpAsync(App);

        var problem = await intruder.PostJsonAsync("/api/simulator/stacks",
            new { aws_account_id = "520987654321", external_id = Guid.NewGuid() }, HttpStatusCode.NotFound);

        Assert.Equal("not_found", problem.GetProperty("code").GetString());
        var summary = await App.Services.GetRequiredService<IGrainFactory>().GetGrain<IAccountGrain>(accountId).Discover();
        Assert.Equal(2, summary.ClustersFound);
    }

    [SkippableFact]
    public async Task Heartbeat_AfterTokenRevokedOrRotated_401()
    {
        var tenant = await TenantClient.SignUpAsync(App);
        var accountId = await Journey.LinkAccountAsync(tenant, "610987654321");
        var (clusterId, firstToken, _) = await Journey.ConnectFirstClusterAsync(tenant, accountId);

        var rotated = await tenant.PostJsonAsync("/api/clusters/connect", new { cluster_id = clusterId });
        using (var stale = await Journey.HeartbeatAsync(App.CreateClient(), firstToken)) Journey.AssertStatus(stale, HttpStatusCode.Unauthorized);
        var secondToken = rotated.GetProperty("agent_token").GetString()!;
        using (var fresh = await Journey.HeartbeatAsync(App.CreateClient(), secondToken)) Journey.AssertStatus(fresh, HttpStatusCode.OK);

        using (var revoke = await tenant.Http.DeleteAsync($"/api/clusters/{clusterId}/agent-token")) Journey.AssertStatus(revoke, HttpStatusCode.NoContent);
        using var afterRevoke = await Journey.HeartbeatAsync(App.CreateClient(), secondToken);
        Journey.AssertStatus(afterRevoke, HttpStatusCode.Unauthorized);
        Assert.Equal("red", (await tenant.GetJsonAsync($"/api/clusters/{clusterId}/verify")).GetProperty("status").GetString());
    }
}

public sealed class SqliteOnboardingFlowTests : OnboardingFlowTests
{
    protected override Task<SpotOptimizerApp> CreateAppAsync() => Task.FromResult(SpotOptimizerApp.Sqlite());
}

public sealed class PostgresOnboardingFlowTests : OnboardingFlowTests
{
    private PostgresServer? _server;
    private string? _database;

    protected override async Task<SpotOptimizerApp> CreateAppAsync()
    {
        _server = await PostgresServer.RequireAsync();
        _database = await _server.CreateDatabaseAsync();
        return SpotOptimizerApp.Postgres(_database);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_database is not null) await _server!.DropDatabaseAsync(_database);
    }
}
