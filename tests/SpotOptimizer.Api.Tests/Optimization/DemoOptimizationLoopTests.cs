using System.Text.Json;
using SpotOptimizer.Cloud;
using SpotOptimizer.Cloud.Simulation;
using SpotOptimizer.Testing;
using static SpotOptimizer.Api.Tests.Optimization.OptimizationJourney;

namespace SpotOptimizer.Api.Tests.Optimization;

/// <summary>
/// The embedded default as a user starts it: the demo tenant's connected clusters are optimized by their own
/// reminder loop — On-Demand nodes replaced by Spot in the simulated cloud, each step in the ledger — and under
/// SAFE_MODE the very same loop is a pure dry run.
/// </summary>
public sealed class DemoOptimizationLoopTests
{
    [Fact]
    public async Task DemoTenant_ReminderLoop_ReplacesOnDemandWithSpot()
    {
        await using var app = Start(safeMode: false);
        var demo = await SignInAsync(app);

        var completed = await CompletedJobsAsync(demo, expected: 1);

        var job = await demo.GetJsonAsync($"/api/jobs/{completed[0].GetProperty("job_id").GetString()}");
        Assert.Equal("schedule", job.GetProperty("trigger").GetString());
        Assert.Equal("succeeded", job.GetProperty("status").GetString());
        var replaced = Replacements(job).Where(r => r.GetProperty("outcome").GetString() == "replaced").ToList();
        Assert.NotEmpty(replaced);
        // Checked per replacement, not by counting nodes before and after: the loop's first tick may come before
        // the demo tenant can sign in, so a "before" census could already include its work.
        var instances = SimulatedCloudOf(app).World.FindAccount(SimulatedWorld.DemoAccountId)!.FindRegion("us-east-1")!.Instances
            .ToDictionary(n => n.Instance.InstanceId);
        Assert.All(replaced, r =>
        {
            var old = instances[r.GetProperty("instance_id").GetString()!];
            var fresh = instances[r.GetProperty("new_instance_id").GetString()!];
            Assert.Equal((InstanceLifecycle.OnDemand, true), (old.Instance.Lifecycle, old.TerminatedAt is not null));
            Assert.Equal((InstanceLifecycle.Spot, false), (fresh.Instance.Lifecycle, fresh.TerminatedAt is not null));
        });
        var actions = (await demo.GetJsonAsync("/api/activity/live?limit=500")).GetProperty("events").EnumerateArray().Select(e => e.GetProperty("action").GetString()).ToList();
        Assert.Contains("executor.launch_spot", actions);
        Assert.Contains("executor.terminate_node", actions);
        // The demo clusters run the real agent: every old node was drained by it through the command channel
        // (Eviction API on the simulated cluster), not by the simulator's shortcut.
        var drains = (await demo.GetJsonAsync("/api/activity/live?limit=500")).GetProperty("events").EnumerateArray()
            .Where(e => e.GetProperty("action").GetString() == "agent.command_succeeded")
            .Select(e => JsonDocument.Parse(e.GetProperty("after").GetString()!).RootElement)
            .Where(d => d.GetProperty("kind").GetString() == "drain")
            .Select(d => d.GetProperty("instance_id").GetString())
            .ToHashSet();
        Assert.All(replaced, r => Assert.Contains(r.GetProperty("instance_id").GetString(), drains));
    }

    [Fact]
    public async Task DemoTenant_ReminderLoopUnderSafeMode_IsAPureDryRun()
    {
        await using var app = Start(safeMode: true);
        var demo = await SignInAsync(app);
        var before = Census(app);

        var completed = await CompletedJobsAsync(demo, expected: 1);

        Assert.All(completed, c => Assert.True(c.GetProperty("dry_run").GetBoolean()));
        Assert.Equal(before, Census(app));
        Assert.DoesNotContain(SimulatedCloudOf(app).Calls, c =>
            c.Operation is CloudActions.RunInstances or CloudActions.TerminateInstances or CloudActions.UpdateNodegroupConfig
            && !c.Arguments.Contains("dryRun=True", StringComparison.Ordinal));
    }

    private static SpotOptimizerApp Start(bool safeMode) => SpotOptimizerApp.With(new Dictionary<string, string?>(FastCloud)
    {
        ["Demo:Enabled"] = "true",
        ["Demo:Password"] = "Demo-Password-2026",
        // Late enough that the demo's in-process agents are polling for commands (the executor drains through an agent
        // that polled within Agent:PollingWindow); at 2 s a loaded CI machine ran the first job before they had.
        ["Optimizer:FirstRun"] = "00:00:20",
        ["Safety:SafeMode"] = safeMode ? "true" : "false",
    });

    private static Task<TenantClient> SignInAsync(SpotOptimizerApp app) => TenantClient.SignInDemoAsync(app, "Demo-Password-2026");

    /// <summary>The details of the first <paramref name="expected"/> optimization.completed entries.</summary>
    private static async Task<List<JsonElement>> CompletedJobsAsync(TenantClient demo, int expected) =>
        await Eventually.Wait(
            async () => (await demo.GetJsonAsync("/api/activity/live?limit=500")).GetProperty("events").EnumerateArray()
                .Where(e => e.GetProperty("action").GetString() == "optimization.completed")
                .Select(e => JsonDocument.Parse(e.GetProperty("after").GetString()!).RootElement)
                .ToList(),
            list => list.Count >= expected,
            TimeSpan.FromSeconds(90),
            "the demo clusters' reminder loop to finish a job");

    private static (int OnDemand, int Spot) Census(SpotOptimizerApp app)
    {
        var live = SimulatedCloudOf(app).World.FindAccount(SimulatedWorld.DemoAccountId)!.FindRegion("us-east-1")!.Instances
            .Where(n => n.TerminatedAt is null && n.Instance.ClusterName is not null).ToList();
        return (live.Count(n => n.Instance.Lifecycle == InstanceLifecycle.OnDemand), live.Count(n => n.Instance.Lifecycle == InstanceLifecycle.Spot));
    }
}
