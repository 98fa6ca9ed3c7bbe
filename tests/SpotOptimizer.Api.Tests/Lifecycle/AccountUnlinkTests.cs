using System.Net;
using SpotOptimizer.Api.Tests.Onboarding;
using SpotOptimizer.Api.Tests.Sweeps;
using static SpotOptimizer.Api.Tests.Optimization.OptimizationJourney;

namespace SpotOptimizer.Api.Tests.Lifecycle;

/// <summary>DELETE /api/connect/accounts/{id}: its clusters unmanaged, discovery stopped, the link forgotten, the ledger kept.</summary>
public abstract class AccountUnlinkTests(bool postgres)
{
    [SkippableFact]
    public async Task Unlink_LinkedAccount_UnmanagesItsClustersAndStopsDiscovery()
    {
        await using var app = await SpotOptimizerApp.CreateAsync(postgres, Settings());
        var tenant = await TenantClient.SignUpAsync(app, $"unlink-{Guid.NewGuid():N}@example.com");
        const string awsAccountId = "310987654321";
        var accountId = await Journey.LinkAccountAsync(tenant, awsAccountId);
        var (clusterId, agentToken, _) = await Journey.ConnectFirstClusterAsync(tenant, accountId);
        Assert.Equal(["discovery"], await LifecycleProbe.AccountRemindersAsync(app, accountId));

        var unlinked = await TenantClient.ExpectAsync(await tenant.Http.DeleteAsync($"/api/connect/accounts/{accountId}"), HttpStatusCode.OK);

        Assert.Equal([clusterId], unlinked.GetProperty("unmanaged_clusters").EnumerateArray().Select(c => c.GetString()));
        Assert.Empty(await LifecycleProbe.AccountRemindersAsync(app, accountId));
        Assert.Empty(await LifecycleProbe.ClusterRemindersAsync(app, clusterId));
        using (var beat = await Journey.HeartbeatAsync(app.CreateClient(), agentToken)) await ProblemAssert.IsAsync(beat, HttpStatusCode.Unauthorized, "invalid_agent_token");
        Assert.Empty((await tenant.GetJsonAsync("/api/client/clusters")).GetProperty("clusters").EnumerateArray());
        Assert.DoesNotContain((await tenant.GetJsonAsync("/api/connect/accounts")).GetProperty("accounts").EnumerateArray(),
            a => a.GetProperty("account_id").GetString() == accountId);
        using (var discover = await tenant.Http.GetAsync($"/api/clusters/discover?account_id={accountId}")) await ProblemAssert.IsAsync(discover, HttpStatusCode.NotFound, "not_found");
        using (var again = await tenant.Http.DeleteAsync($"/api/connect/accounts/{accountId}")) await ProblemAssert.IsAsync(again, HttpStatusCode.NotFound, "not_found");
        var actions = await Journey.ActivityActionsAsync(tenant);
        Assert.Contains("account.unlinked", actions);
        Assert.Contains("cluster.unmanaged", actions);
        Assert.Contains("account.verified", actions);
        Assert.True((await tenant.GetJsonAsync("/api/audit/verify")).GetProperty("intact").GetBoolean());
    }

    [SkippableFact]
    public async Task Unlink_ThenLinkAgain_NeedsANewExternalIdAndFindsTheClustersUnmanaged()
    {
        await using var app = await SpotOptimizerApp.CreateAsync(postgres, Settings());
        var tenant = await TenantClient.SignUpAsync(app, $"relink-{Guid.NewGuid():N}@example.com");
        const string awsAccountId = "310987654322";
        var firstExternalId = (await tenant.PostJsonAsync("/api/connect/link", null)).GetProperty("external_id").GetString();
        var role = (await tenant.PostJsonAsync("/api/simulator/stacks", new { aws_account_id = awsAccountId, external_id = firstExternalId })).GetProperty("role_arn").GetString();
        var accountId = (await tenant.PostJsonAsync("/api/connect/verify", new { account_id = awsAccountId, role_arn = role })).GetProperty("account_id").GetString()!;
        await Journey.WaitForStatusAsync(tenant, accountId, "active");
        var (clusterId, _, _) = await Journey.ConnectFirstClusterAsync(tenant, accountId);
        await TenantClient.ExpectAsync(await tenant.Http.DeleteAsync($"/api/connect/accounts/{accountId}"), HttpStatusCode.OK);

        var link = await tenant.PostJsonAsync("/api/connect/link", null);

        Assert.NotEqual(firstExternalId, link.GetProperty("external_id").GetString());
        Assert.NotEqual(accountId, link.GetProperty("account_id").GetString());
        var relinked = await Journey.LinkAccountAsync(tenant, awsAccountId);
        var discovered = (await tenant.GetJsonAsync($"/api/clusters/discover?account_id={relinked}")).GetProperty("clusters").EnumerateArray().ToList();
        Assert.Contains(discovered, c => c.GetProperty("cluster_id").GetString() == clusterId);
        var reconnected = await tenant.PostJsonAsync("/api/clusters/connect", new { cluster_id = clusterId });
        using (var beat = await Journey.HeartbeatAsync(app.CreateClient(), reconnected.GetProperty("agent_token").GetString()!)) Journey.AssertStatus(beat, HttpStatusCode.OK);
    }

    [SkippableFact]
    public async Task Unlink_ForeignOrMalformedId_404Or400AndLeavesTheOwnerLinked()
    {
        await using var app = await SpotOptimizerApp.CreateAsync(postgres, Settings());
        var owner = await TenantClient.SignUpAsync(app);
        var accountId = await Journey.LinkAccountAsync(owner, "310987654323");
        var other = await TenantClient.SignUpAsync(app);

        using (var foreign = await other.Http.DeleteAsync($"/api/connect/accounts/{accountId}")) await ProblemAssert.IsAsync(foreign, HttpStatusCode.NotFound, "not_found");
        using (var malformed = await other.Http.DeleteAsync("/api/connect/accounts/123")) await ProblemAssert.IsAsync(malformed, HttpStatusCode.BadRequest, "invalid_id");

        await Journey.WaitForStatusAsync(owner, accountId, "active");
        Assert.Equal(["discovery"], await LifecycleProbe.AccountRemindersAsync(app, accountId));
    }
}

public sealed class SqliteAccountUnlinkTests() : AccountUnlinkTests(postgres: false);

public sealed class PostgresAccountUnlinkTests() : AccountUnlinkTests(postgres: true);
