using System.Net;
using SpotOptimizer.Api.Tests.Onboarding;
using SpotOptimizer.Api.Tests.Sweeps;
using SpotOptimizer.Cloud.Simulation;
using SpotOptimizer.Testing;
using static SpotOptimizer.Api.Tests.Optimization.OptimizationJourney;

namespace SpotOptimizer.Api.Tests.Lifecycle;

/// <summary>GET and DELETE /api/clusters/{id}: one cluster's view, and unmanaging it — loops, job, agent token, list.</summary>
public abstract class ClusterLifecycleTests(bool postgres)
{
    [SkippableFact]
    public async Task Get_OwnAndForeignCluster_ViewOr404()
    {
        await using var app = await SpotOptimizerApp.CreateAsync(postgres, Settings());
        var (tenant, clusterId) = await ConnectedTenantAsync(app, "210987654321", $"get-{Guid.NewGuid():N}@example.com");
        var other = await TenantClient.SignUpAsync(app);

        var view = await tenant.GetJsonAsync($"/api/clusters/{clusterId}");
        using var foreign = await other.Http.GetAsync($"/api/clusters/{clusterId}");

        Assert.Equal(clusterId, view.GetProperty("cluster_id").GetString());
        Assert.True(view.GetProperty("managed").GetBoolean());
        await ProblemAssert.IsAsync(foreign, HttpStatusCode.NotFound, "not_found");
        using var malformed = await tenant.Http.GetAsync("/api/clusters/not-a-uuid");
        await ProblemAssert.IsAsync(malformed, HttpStatusCode.BadRequest, "invalid_id");
    }

    [SkippableFact]
    public async Task Unmanage_ConnectedCluster_StopsLoopsRevokesAgentTokenAndCanConnectAgain()
    {
        await using var app = await SpotOptimizerApp.CreateAsync(postgres, Settings());
        var tenant = await TenantClient.SignUpAsync(app, $"unmanage-{Guid.NewGuid():N}@example.com");
        var accountId = await Journey.LinkAccountAsync(tenant, "210987654322");
        var (clusterId, agentToken, _) = await Journey.ConnectFirstClusterAsync(tenant, accountId);
        await tenant.PostJsonAsync("/api/hibernation/schedule", new { cluster_id = clusterId, schedule_matrix = Enumerable.Repeat(1, 168) });
        using (var beat = await Journey.HeartbeatAsync(app.CreateClient(), agentToken)) Journey.AssertStatus(beat, HttpStatusCode.OK);
        Assert.Equal(["hibernate", "optimize"], await LifecycleProbe.ClusterRemindersAsync(app, clusterId));

        var unmanaged = await tenant.Http.DeleteAsync($"/api/clusters/{clusterId}");

        var body = await TenantClient.ExpectAsync(unmanaged, HttpStatusCode.OK);
        Assert.False(body.GetProperty("managed").GetBoolean());
        Assert.Empty(await LifecycleProbe.ClusterRemindersAsync(app, clusterId));
        using (var beat = await Journey.HeartbeatAsync(app.CreateClient(), agentToken)) await ProblemAssert.IsAsync(beat, HttpStatusCode.Unauthorized, "invalid_agent_token");
        using (var optimize = await tenant.Http.PostAsync($"/api/clusters/{clusterId}/optimize", null))
            await ProblemAssert.IsAsync(optimize, HttpStatusCode.Conflict, "cluster_not_managed");
        Assert.Empty((await tenant.GetJsonAsync("/api/client/clusters")).GetProperty("clusters").EnumerateArray());
        Assert.False((await tenant.GetJsonAsync($"/api/clusters/{clusterId}")).GetProperty("managed").GetBoolean());
        Assert.Contains("cluster.unmanaged", await Journey.ActivityActionsAsync(tenant));
        using (var again = await tenant.Http.DeleteAsync($"/api/clusters/{clusterId}")) await ProblemAssert.IsAsync(again, HttpStatusCode.Conflict, "cluster_not_managed");

        // Still discovered: it can be connected again, with a new token.
        var discovered = (await tenant.GetJsonAsync($"/api/clusters/discover?account_id={accountId}")).GetProperty("clusters").EnumerateArray();
        Assert.Contains(discovered, c => c.GetProperty("cluster_id").GetString() == clusterId);
        var reconnected = await tenant.PostJsonAsync("/api/clusters/connect", new { cluster_id = clusterId });
        using (var beat = await Journey.HeartbeatAsync(app.CreateClient(), reconnected.GetProperty("agent_token").GetString()!)) Journey.AssertStatus(beat, HttpStatusCode.OK);
        Assert.Contains("optimize", await LifecycleProbe.ClusterRemindersAsync(app, clusterId));
        Assert.True((await tenant.GetJsonAsync("/api/audit/verify")).GetProperty("intact").GetBoolean());
    }

    [SkippableFact]
    public async Task Unmanage_WhileJobRuns_JobStopsBeforeItsNextReplacementAsCancelled()
    {
        // Slow boots keep the job inside its first replacement long enough for the unmanage to land mid-run.
        await using var app = await SpotOptimizerApp.CreateAsync(postgres, Settings(
            ("Cloud:Simulator:BootTime", "00:00:02"), ("Optimizer:DisruptionBudgetPercent", "100"), ("Optimizer:MinOnDemandNodes", "0")));
        var (tenant, clusterId) = await ConnectedTenantAsync(app, SimulatedWorld.DemoAccountId, $"cancel-{Guid.NewGuid():N}@example.com");
        var jobId = await StartAsync(tenant, clusterId);
        await Eventually.Wait(() => tenant.GetJsonAsync($"/api/jobs/{jobId}"), j => j.GetProperty("stage").GetString() == "execute", what: "the job to execute");

        var unmanaged = await TenantClient.ExpectAsync(await tenant.Http.DeleteAsync($"/api/clusters/{clusterId}"), HttpStatusCode.OK);

        Assert.Equal(jobId, unmanaged.GetProperty("cancelled_job_id").GetString());
        var job = await Eventually.Wait(() => tenant.GetJsonAsync($"/api/jobs/{jobId}"),
            j => j.GetProperty("status").GetString() is "succeeded" or "partial" or "failed" or "cancelled", TimeSpan.FromSeconds(60), "the job to stop");
        Assert.Equal("cancelled", job.GetProperty("status").GetString());
        Assert.Equal("cluster_not_managed", job.GetProperty("error_code").GetString());
        var outcomes = Replacements(job).Select(r => r.GetProperty("outcome").GetString()).ToList();
        Assert.Contains("pending", outcomes);
        Assert.DoesNotContain("failed", outcomes);
        Assert.Contains("optimization.cancelled", await Journey.ActivityActionsAsync(tenant));
    }
}

public sealed class SqliteClusterLifecycleTests() : ClusterLifecycleTests(postgres: false);

public sealed class PostgresClusterLifecycleTests() : ClusterLifecycleTests(postgres: true);
