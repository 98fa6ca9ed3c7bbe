using System.Net;
using System.Text.Json;
using SpotOptimizer.Api.Tests.Onboarding;
using SpotOptimizer.Api.Tests.Sweeps;
using SpotOptimizer.Cloud.Simulation;
using static SpotOptimizer.Api.Tests.Optimization.OptimizationJourney;

namespace SpotOptimizer.Api.Tests.Agent;

/// <summary>
/// The command channel over HTTP: the agent's long poll, results (once, 404 for an unknown id), safe-mode reports and
/// the platform's leave_safe_mode, revocation (401 and cancelled commands, no optimization), and the tenant's view of
/// the commands, in the ledger and the activity feed.
/// </summary>
public abstract class AgentCommandsApiTests(bool postgres)
{
    [SkippableFact]
    public async Task SafeModeReport_LongPollWakesWithLeaveCommand_ResultOnceAndVisibleToTheTenant()
    {
        await using var app = await SpotOptimizerApp.CreateAsync(postgres, Settings());
        var tenant = await TenantClient.SignUpAsync(app, $"channel-{Guid.NewGuid():N}@example.com");
        var accountId = await Journey.LinkAccountAsync(tenant, "210987654340");
        var (clusterId, token, _) = await Journey.ConnectFirstClusterAsync(tenant, accountId);
        using var agent = new AgentChannel(app.CreateClient(), token);
        Assert.Empty(await agent.CommandsAsync());
        await ProblemAssert.IsAsync(await agent.PollAsync(31), HttpStatusCode.BadRequest, "invalid_wait");

        var waiting = agent.CommandsAsync(wait: 20);
        await Task.Delay(300);
        Assert.False(waiting.IsCompleted);
        var entered = DateTimeOffset.UtcNow.AddMinutes(-6);
        using (var report = await agent.SafeModeAsync("entered", entered))
            Assert.True((await TenantClient.ExpectAsync(report, HttpStatusCode.OK)).GetProperty("acknowledged").GetBoolean());
        var woken = await waiting.WaitAsync(TimeSpan.FromSeconds(15));

        var command = Assert.Single(woken);
        Assert.Equal("leave_safe_mode", command.GetProperty("kind").GetString());
        var id = command.GetProperty("id").GetString()!;
        foreach (var field in new[] { "node_name", "instance_id", "dry_run", "labels", "taints", "remove_taints", "karpenter", "excluded_namespaces", "issued_at", "expires_at" })
            Assert.True(command.TryGetProperty(field, out _), field);
        var cluster = await tenant.GetJsonAsync($"/api/clusters/{clusterId}");
        Assert.Equal(JsonValueKind.String, cluster.GetProperty("commands_polled_at").ValueKind);
        Assert.Equal("platform_unreachable", cluster.GetProperty("agent_safe_mode").GetProperty("reason").GetString());

        var first = await TenantClient.ExpectAsync(await agent.PostResultAsync(id, "succeeded"), HttpStatusCode.OK);
        var again = await TenantClient.ExpectAsync(await agent.PostResultAsync(id, "failed", "kubernetes_error"), HttpStatusCode.OK);
        Assert.Equal((id, "succeeded", "succeeded"), (first.GetProperty("id").GetString(), first.GetProperty("status").GetString(), again.GetProperty("status").GetString()));
        await ProblemAssert.IsAsync(await agent.PostResultAsync("cmd_unknown", "succeeded"), HttpStatusCode.NotFound, "unknown_command");
        await TenantClient.ExpectAsync(await agent.SafeModeAsync("left", entered), HttpStatusCode.OK);

        var listed = (await tenant.GetJsonAsync($"/api/clusters/{clusterId}/commands")).GetProperty("commands").EnumerateArray().ToList();
        Assert.Equal([(id, "leave_safe_mode", "succeeded")], listed.Select(c => (c.GetProperty("id").GetString(), c.GetProperty("kind").GetString(), c.GetProperty("status").GetString())));
        var actions = await Journey.ActivityActionsAsync(tenant);
        foreach (var action in new[] { "agent.safe_mode_entered", "agent.command_issued", "agent.command_succeeded", "agent.safe_mode_left" })
            Assert.Contains(action, actions);
        Assert.Equal(JsonValueKind.Null, (await tenant.GetJsonAsync($"/api/clusters/{clusterId}")).GetProperty("agent_safe_mode").ValueKind);
        await ProblemAssert.IsAsync(await tenant.Http.GetAsync($"/api/clusters/{clusterId}/commands?limit=0"), HttpStatusCode.BadRequest, "invalid_limit");
    }

    [SkippableFact]
    public async Task RevokedToken_PollsRefused_PendingCancelledAndNoOptimization()
    {
        await using var app = await SpotOptimizerApp.CreateAsync(postgres, Settings());
        var tenant = await TenantClient.SignUpAsync(app, $"channel-revoke-{Guid.NewGuid():N}@example.com");
        var accountId = await Journey.LinkAccountAsync(tenant, "210987654341");
        var (clusterId, token, _) = await Journey.ConnectFirstClusterAsync(tenant, accountId);
        using var agent = new AgentChannel(app.CreateClient(), token);
        using (var patched = await tenant.Http.PatchAsync("/api/policies/karpenter", ProblemAssert.Json($$"""{"cluster_id":"{{clusterId}}","enabled":true}""")))
            Journey.AssertStatus(patched, HttpStatusCode.OK);
        var pending = Assert.Single(await agent.CommandsAsync());
        Assert.Equal("karpenter_policy", pending.GetProperty("kind").GetString());
        var karpenter = pending.GetProperty("karpenter");
        Assert.Equal((true, "WhenEmptyOrUnderutilized"), (karpenter.GetProperty("enabled").GetBoolean(), karpenter.GetProperty("consolidation_policy").GetString()));
        Assert.Equal(["spot", "on-demand"], karpenter.GetProperty("capacity_types").EnumerateArray().Select(c => c.GetString()));

        using (var revoked = await tenant.Http.DeleteAsync($"/api/clusters/{clusterId}/agent-token")) Journey.AssertStatus(revoked, HttpStatusCode.NoContent);

        await ProblemAssert.IsAsync(await agent.PollAsync(), HttpStatusCode.Unauthorized, "invalid_agent_token");
        await ProblemAssert.IsAsync(await agent.PostResultAsync(pending.GetProperty("id").GetString()!, "succeeded"), HttpStatusCode.Unauthorized, "invalid_agent_token");
        await ProblemAssert.IsAsync(await agent.SafeModeAsync("entered", DateTimeOffset.UtcNow), HttpStatusCode.Unauthorized, "invalid_agent_token");
        var listed = (await tenant.GetJsonAsync($"/api/clusters/{clusterId}/commands")).GetProperty("commands").EnumerateArray().Single();
        Assert.Equal("cancelled", listed.GetProperty("status").GetString());
        Assert.Contains("agent.command_cancelled", await Journey.ActivityActionsAsync(tenant));
        await ProblemAssert.IsAsync(await tenant.Http.PostAsync($"/api/clusters/{clusterId}/optimize", null), HttpStatusCode.Conflict, "agent_token_revoked");
        var world = SimulatedCloudOf(app).World.FindAccount("210987654341")!;
        Assert.DoesNotContain(world.Regions.SelectMany(r => r.Instances), n => n.TerminatedAt is not null);
    }
}

public sealed class SqliteAgentCommandsApiTests() : AgentCommandsApiTests(postgres: false);

public sealed class PostgresAgentCommandsApiTests() : AgentCommandsApiTests(postgres: true);
