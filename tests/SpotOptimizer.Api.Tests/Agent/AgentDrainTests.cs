using System.Net;
using SpotOptimizer.Api.Tests.Onboarding;
using SpotOptimizer.Api.Tests.Sweeps;
using SpotOptimizer.Cloud.Simulation;
using static SpotOptimizer.Api.Tests.Optimization.OptimizationJourney;

namespace SpotOptimizer.Api.Tests.Agent;

/// <summary>
/// The executor's drain step through the agent's channel: a cluster whose agent polls for commands is drained by it
/// (a test acts as the agent over HTTP), a PodDisruptionBudget refusal is retried as a new command, a dry run sends
/// dry_run commands, and an agent that never answers fails the step cleanly (nothing terminated, the new node rolled back).
/// </summary>
public abstract class AgentDrainTests(bool postgres)
{
    private static Dictionary<string, string?> ChannelSettings(string drainTimeout = "00:01:00") =>
        Settings(("Agent:ResultPoll", "00:00:00.050"), ("Agent:DrainTimeout", drainTimeout));

    [SkippableFact]
    public async Task Optimize_PollingAgent_DrainsThroughTheChannelAndRetriesAPdbRefusal()
    {
        await using var app = await SpotOptimizerApp.CreateAsync(postgres, ChannelSettings());
        var (tenant, clusterId, agent) = await ConnectAsync(app, "drain");
        using var _ = agent;
        using var stop = new CancellationTokenSource();
        var serving = agent.ServeAsync((command, answered) =>
            command.GetProperty("kind").GetString() == "drain" && answered == 0 ? ("failed", "pdb_blocked") : ("succeeded", null), stop.Token);

        var job = await OptimizeAsync(tenant, clusterId);
        await stop.CancelAsync();
        var answered = await serving;

        Assert.Equal("succeeded", job.GetProperty("status").GetString());
        var replaced = Replacements(job).Select(r => r.GetProperty("instance_id").GetString()).ToList();
        Assert.NotEmpty(replaced);
        var drains = answered.Where(c => c.GetProperty("kind").GetString() == "drain").ToList();
        Assert.Equal(replaced.Count + 1, drains.Count);
        Assert.Equal(replaced, drains.Skip(1).Select(c => c.GetProperty("instance_id").GetString()));
        Assert.Equal(drains[0].GetProperty("instance_id").GetString(), drains[1].GetProperty("instance_id").GetString());
        Assert.All(drains, c => Assert.False(c.GetProperty("dry_run").GetBoolean()));
        Assert.All(drains, c => Assert.Contains("kube-system", c.GetProperty("excluded_namespaces").EnumerateArray().Select(n => n.GetString())));
        var listed = (await tenant.GetJsonAsync($"/api/clusters/{clusterId}/commands")).GetProperty("commands").EnumerateArray().ToList();
        Assert.Single(listed, c => c.GetProperty("status").GetString() == "failed" && c.GetProperty("code").GetString() == "pdb_blocked");
        Assert.Equal(replaced.Count, listed.Count(c => c.GetProperty("status").GetString() == "succeeded" && c.GetProperty("evicted_pods").GetInt32() == 2));
        var actions = await Journey.ActivityActionsAsync(tenant);
        Assert.Equal(replaced.Count + 1, actions.Count(a => a == "agent.command_issued"));
        Assert.Single(actions, a => a == "agent.command_failed");
    }

    [SkippableFact]
    public async Task Optimize_DryRunPolicy_DrainCommandsAreDryRuns()
    {
        await using var app = await SpotOptimizerApp.CreateAsync(postgres, ChannelSettings());
        var (tenant, clusterId, agent) = await ConnectAsync(app, "drain-dry");
        using var _ = agent;
        using (var dry = await tenant.Http.PatchAsync("/api/policies/dry-run", ProblemAssert.Json($$"""{"cluster_id":"{{clusterId}}","enabled":true}""")))
            Journey.AssertStatus(dry, HttpStatusCode.OK);
        using var stop = new CancellationTokenSource();
        var serving = agent.ServeAsync((_, _) => ("succeeded", null), stop.Token);

        var job = await OptimizeAsync(tenant, clusterId);
        await stop.CancelAsync();
        var drains = (await serving).Where(c => c.GetProperty("kind").GetString() == "drain").ToList();

        Assert.True(job.GetProperty("dry_run").GetBoolean());
        Assert.NotEmpty(drains);
        Assert.All(drains, c => Assert.True(c.GetProperty("dry_run").GetBoolean()));
        Assert.All(Replacements(job), r => Assert.Equal("dry_run", r.GetProperty("outcome").GetString()));
        Assert.DoesNotContain(World(app).Instances, n => n.TerminatedAt is not null);
    }

    [SkippableFact]
    public async Task Optimize_AgentNeverAnswers_DrainFailsCleanlyAndNothingIsTerminated()
    {
        await using var app = await SpotOptimizerApp.CreateAsync(postgres, ChannelSettings(drainTimeout: "00:00:01"));
        var (tenant, clusterId, agent) = await ConnectAsync(app, "drain-silent");
        using var _ = agent;

        var job = await OptimizeAsync(tenant, clusterId);

        var drainSteps = job.GetProperty("actions").EnumerateArray().Where(a => a.GetProperty("step").GetString() == "drain_node").ToList();
        Assert.NotEmpty(drainSteps);
        Assert.All(drainSteps, a => Assert.Equal(("FAILED", "agent_no_result"), (a.GetProperty("result").GetString(), a.GetProperty("error_code").GetString())));
        Assert.All(Replacements(job), r => Assert.NotEqual("replaced", r.GetProperty("outcome").GetString()));
        var replaced = Replacements(job).Select(r => r.GetProperty("instance_id").GetString()).ToHashSet();
        Assert.DoesNotContain(World(app).Instances, n => replaced.Contains(n.Instance.InstanceId) && n.TerminatedAt is not null);
        var listed = (await tenant.GetJsonAsync($"/api/clusters/{clusterId}/commands")).GetProperty("commands").EnumerateArray();
        Assert.All(listed, c => Assert.Equal("expired", c.GetProperty("status").GetString()));
    }

    private static async Task<(TenantClient Tenant, string ClusterId, AgentChannel Agent)> ConnectAsync(SpotOptimizerApp app, string name)
    {
        var tenant = await TenantClient.SignUpAsync(app, $"{name}-{Guid.NewGuid():N}@example.com");
        var accountId = await Journey.LinkAccountAsync(tenant, SimulatedWorld.DemoAccountId);
        var (clusterId, token, _) = await Journey.ConnectFirstClusterAsync(tenant, accountId);
        var agent = new AgentChannel(app.CreateClient(), token);
        // The agent's first poll is what makes the platform drain through it.
        Assert.Empty(await agent.CommandsAsync());
        return (tenant, clusterId, agent);
    }

    private static SimulatedRegion World(SpotOptimizerApp app) => SimulatedCloudOf(app).World.FindAccount(SimulatedWorld.DemoAccountId)!.FindRegion("us-east-1")!;
}

public sealed class SqliteAgentDrainTests() : AgentDrainTests(postgres: false);

public sealed class PostgresAgentDrainTests() : AgentDrainTests(postgres: true);
