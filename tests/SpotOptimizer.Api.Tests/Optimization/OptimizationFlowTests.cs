using System.Net;
using System.Net.Http.Json;
using SpotOptimizer.Api.Tests.Onboarding;
using SpotOptimizer.Cloud;
using SpotOptimizer.Cloud.Simulation;
using SpotOptimizer.Testing;
using static SpotOptimizer.Api.Tests.Optimization.OptimizationJourney;

namespace SpotOptimizer.Api.Tests.Optimization;

/// <summary>
/// POST /optimize end to end on the simulated cloud: the plan, each CORE-EXEC step in the job and the ledger, the
/// simulated cluster afterwards; and the same run as a pure dry run under SAFE_MODE or the cluster's own dry run.
/// </summary>
public abstract class OptimizationFlowTests(bool postgres)
{
    [SkippableFact]
    public async Task Optimize_ConnectedDemoCluster_ReplacesOnDemandNodesWithSpotAndAuditsEveryStep()
    {
        await using var app = await SpotOptimizerApp.CreateAsync(postgres, Settings());
        var (tenant, clusterId) = await ConnectedTenantAsync(app, SimulatedWorld.DemoAccountId, "ops@replace.io");
        var cluster = await tenant.GetJsonAsync($"/api/clusters/{clusterId}/verify");
        Assert.NotEqual(JsonValueKindUndefined, cluster.ValueKind);

        var job = await OptimizeAsync(tenant, clusterId);

        Assert.Equal("succeeded", job.GetProperty("status").GetString());
        Assert.False(job.GetProperty("dry_run").GetBoolean());
        var replacements = Replacements(job).ToList();
        Assert.NotEmpty(replacements);
        var world = SimulatedCloudOf(app).World.FindAccount(SimulatedWorld.DemoAccountId)!.FindRegion("us-east-1")!;
        foreach (var replacement in replacements)
        {
            Assert.Equal("on_demand_to_spot", replacement.GetProperty("reason").GetString());
            Assert.Equal("replaced", replacement.GetProperty("outcome").GetString());
            Assert.True(replacement.GetProperty("target_price_per_hour").GetDouble() < replacement.GetProperty("current_price_per_hour").GetDouble());
            var old = world.Instances.Single(n => n.Instance.InstanceId == replacement.GetProperty("instance_id").GetString());
            Assert.Equal(InstanceLifecycle.OnDemand, old.Instance.Lifecycle);
            Assert.NotNull(old.TerminatedAt);
            var added = world.Instances.Single(n => n.Instance.InstanceId == replacement.GetProperty("new_instance_id").GetString());
            Assert.Equal(InstanceLifecycle.Spot, added.Instance.Lifecycle);
            Assert.Null(added.TerminatedAt);
            Assert.Equal(replacement.GetProperty("target_type").GetString(), added.Instance.InstanceType);
            Assert.Equal(old.Instance.InstanceId, added.Instance.Tags["spotoptimizer:replaces"]);
        }

        var steps = job.GetProperty("actions").EnumerateArray().Select(a => a.GetProperty("step").GetString()).ToList();
        Assert.Equal(replacements.Count, steps.Count(s => s == "launch_spot"));
        Assert.Equal(replacements.Count, steps.Count(s => s == "terminate_node"));
        Assert.All(job.GetProperty("actions").EnumerateArray(), a =>
            Assert.Matches(@"^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}\] \[CORE-EXEC\] \[[A-Z_]+\] \[OK\] \[\d+ms\] ", a.GetProperty("log").GetString()));

        var actions = await Journey.ActivityActionsAsync(tenant);
        Assert.Contains("optimization.planned", actions);
        Assert.Equal(replacements.Count, actions.Count(a => a == "executor.launch_spot"));
        Assert.Equal(replacements.Count, actions.Count(a => a == "executor.drain_node"));
        Assert.Equal(replacements.Count, actions.Count(a => a == "executor.terminate_node"));
        Assert.Contains("optimization.completed", actions);
        var replaced = await ReplacedEntriesAsync(tenant);
        Assert.Equal(replacements.Count, replaced.Count);
        var jobId = job.GetProperty("job_id").GetString();
        foreach (var replacement in replacements)
        {
            var entry = replaced.Single(e => e.Details.GetProperty("old_instance_id").GetString() == replacement.GetProperty("instance_id").GetString());
            Assert.Equal($"cluster:{clusterId}", entry.Resource);
            var d = entry.Details;
            Assert.Equal(
                (jobId, replacement.GetProperty("from_type").GetString(), replacement.GetProperty("from_zone").GetString(), "on_demand",
                    replacement.GetProperty("current_price_per_hour").GetDouble(), replacement.GetProperty("new_instance_id").GetString(),
                    replacement.GetProperty("target_type").GetString(), replacement.GetProperty("target_zone").GetString(), "spot",
                    replacement.GetProperty("target_price_per_hour").GetDouble(), "on_demand_to_spot"),
                (d.GetProperty("job_id").GetString(), d.GetProperty("old_instance_type").GetString(), d.GetProperty("old_zone").GetString(),
                    d.GetProperty("old_purchase").GetString(), d.GetProperty("old_price_per_hour").GetDouble(), d.GetProperty("new_instance_id").GetString(),
                    d.GetProperty("new_instance_type").GetString(), d.GetProperty("new_zone").GetString(), d.GetProperty("new_purchase").GetString(),
                    d.GetProperty("new_price_per_hour").GetDouble(), d.GetProperty("reason").GetString()));
            Assert.True(d.GetProperty("new_price_per_hour").GetDouble() > 0);
        }

        var verify = await tenant.GetJsonAsync("/api/audit/verify");
        Assert.True(verify.GetProperty("intact").GetBoolean());
    }

    [SkippableFact]
    public async Task Optimize_UnderSafeMode_IsAPureDryRun()
    {
        await using var app = await SpotOptimizerApp.CreateAsync(postgres, Settings(("Safety:SafeMode", "true")));
        var (tenant, clusterId) = await ConnectedTenantAsync(app, SimulatedWorld.DemoAccountId, "ops@safe.io");
        var before = SimulatedCloudOf(app).World;

        var job = await OptimizeAsync(tenant, clusterId);

        AssertDryRun(job);
        Assert.Same(before, SimulatedCloudOf(app).World);
        Assert.DoesNotContain(SimulatedCloudOf(app).Calls, c => c.Operation == CloudActions.RunInstances && !c.Arguments.Contains("dryRun=True", StringComparison.Ordinal));
        var actions = await Journey.ActivityActionsAsync(tenant);
        Assert.Equal(Replacements(job).Count(), actions.Count(a => a == "executor.launch_spot"));
        Assert.Empty(await ReplacedEntriesAsync(tenant));
    }

    [SkippableFact]
    public async Task Optimize_ClusterInDryRun_ChangesNothingWhileOthersMayAct()
    {
        await using var app = await SpotOptimizerApp.CreateAsync(postgres, Settings());
        var (tenant, clusterId) = await ConnectedTenantAsync(app, SimulatedWorld.DemoAccountId, "ops@dry.io");
        var policy = await tenant.Http.PatchAsJsonAsync("/api/policies/dry-run", new { cluster_id = clusterId, enabled = true }, TenantClient.Json);
        Journey.AssertStatus(policy, HttpStatusCode.OK);
        var before = SimulatedCloudOf(app).World;

        var job = await OptimizeAsync(tenant, clusterId);

        AssertDryRun(job);
        Assert.Same(before, SimulatedCloudOf(app).World);
    }

    [SkippableFact]
    public async Task Optimize_Twice_ReturnsTheJobInFlight_AndStrangersGet404()
    {
        await using var app = await SpotOptimizerApp.CreateAsync(postgres, Settings(("Executor:ReadyPoll", "00:00:00.500"), ("Cloud:Simulator:BootTime", "00:00:02")));
        var (tenant, clusterId) = await ConnectedTenantAsync(app, SimulatedWorld.DemoAccountId, "ops@twice.io");
        var first = await StartAsync(tenant, clusterId);

        var again = await tenant.PostJsonAsync($"/api/clusters/{clusterId}/optimize", null, HttpStatusCode.Accepted);

        Assert.Equal(first, again.GetProperty("job_id").GetString());
        Assert.True(again.GetProperty("already_running").GetBoolean());
        var stranger = await TenantClient.SignUpAsync(app, "ops@stranger.io");
        await stranger.GetJsonAsync($"/api/jobs/{first}", HttpStatusCode.NotFound);
        await FinishedAsync(tenant, first);
        var second = await OptimizeAsync(tenant, clusterId);

        var listed = (await tenant.GetJsonAsync($"/api/clusters/{clusterId}/jobs")).GetProperty("jobs").EnumerateArray()
            .Select(j => (j.GetProperty("job_id").GetString(), j.GetProperty("trigger").GetString())).ToList();
        Assert.Equal([(second.GetProperty("job_id").GetString(), "manual"), (first, "manual")], listed);
        await stranger.GetJsonAsync($"/api/clusters/{clusterId}/jobs", HttpStatusCode.NotFound);
    }

    [SkippableFact]
    public async Task Optimize_NodesRunExcludedNamespaces_DrainRefused_NewNodesRolledBack()
    {
        await using var app = await SpotOptimizerApp.CreateAsync(postgres, Settings());
        var (tenant, clusterId) = await ConnectedTenantAsync(app, SimulatedWorld.DemoAccountId, "ops@excluded.io");
        var exclusions = await tenant.Http.PatchAsJsonAsync("/api/policies/exclusions", new { cluster_id = clusterId, namespaces = new[] { "payments" } }, TenantClient.Json);
        Journey.AssertStatus(exclusions, HttpStatusCode.OK);
        var name = (await tenant.GetJsonAsync("/api/client/clusters")).GetProperty("clusters").EnumerateArray().Single().GetProperty("name").GetString()!;
        var cloud = SimulatedCloudOf(app);
        cloud.Update(world => world.UpdateRegion(SimulatedWorld.DemoAccountId, "us-east-1", region =>
            region.NodesOf(name).Aggregate(region, (r, n) => r.WithInstance(n with { Namespaces = ["payments"] }))));

        var job = await OptimizeAsync(tenant, clusterId);

        Assert.Equal("partial", job.GetProperty("status").GetString());
        var world = cloud.World.FindAccount(SimulatedWorld.DemoAccountId)!.FindRegion("us-east-1")!;
        Assert.All(Replacements(job), r =>
        {
            Assert.Equal("rolled_back", r.GetProperty("outcome").GetString());
            Assert.Null(world.Instances.Single(n => n.Instance.InstanceId == r.GetProperty("instance_id").GetString()).TerminatedAt);
            Assert.NotNull(world.Instances.Single(n => n.Instance.InstanceId == r.GetProperty("new_instance_id").GetString()).TerminatedAt);
        });
        var steps = job.GetProperty("actions").EnumerateArray().Select(a => (a.GetProperty("step").GetString(), a.GetProperty("result").GetString())).ToList();
        Assert.Contains(("drain_node", "FAILED"), steps);
        Assert.DoesNotContain(steps, s => s.Item1 == "terminate_node");
        Assert.Equal(Replacements(job).Count(), steps.Count(s => s == ("terminate_launched", "OK")));
        Assert.Empty(await ReplacedEntriesAsync(tenant));
    }

    [SkippableFact]
    public async Task ScheduledRun_WithNothingWorthReplacing_IsListedButStaysOutOfTheLedger()
    {
        await using var app = await SpotOptimizerApp.CreateAsync(postgres, Settings(("Optimizer:FirstRun", "00:00:01"), ("Optimizer:MinSavingsPercent", "99")));
        var (tenant, clusterId) = await ConnectedTenantAsync(app, SimulatedWorld.DemoAccountId, "ops@quiet.io");

        var jobs = await Eventually.Wait(
            async () => (await tenant.GetJsonAsync($"/api/clusters/{clusterId}/jobs")).GetProperty("jobs").EnumerateArray().ToList(),
            list => list.Count > 0 && list[0].GetProperty("status").GetString() == "succeeded",
            TimeSpan.FromSeconds(30), "the reminder's first run");

        var job = jobs[0];
        Assert.Equal("schedule", job.GetProperty("trigger").GetString());
        Assert.Empty(Replacements(job));
        Assert.Contains(job.GetProperty("plan").GetProperty("blocked").EnumerateArray(), b => b.GetProperty("code").GetString() == "savings_below_threshold");
        Assert.DoesNotContain(await Journey.ActivityActionsAsync(tenant), a => a.StartsWith("optimization.", StringComparison.Ordinal) || a.StartsWith("executor.", StringComparison.Ordinal));
    }

    /// <summary>The organization's node.replaced ledger entries, with their details.</summary>
    private static async Task<List<(string Resource, System.Text.Json.JsonElement Details)>> ReplacedEntriesAsync(TenantClient tenant) =>
        [.. (await tenant.GetJsonAsync("/api/activity/live?limit=500")).GetProperty("events").EnumerateArray()
            .Where(e => e.GetProperty("action").GetString() == "node.replaced")
            .Select(e => (e.GetProperty("resource").GetString()!, System.Text.Json.JsonDocument.Parse(e.GetProperty("after").GetString()!).RootElement))];

    private static void AssertDryRun(System.Text.Json.JsonElement job)
    {
        Assert.Equal("succeeded", job.GetProperty("status").GetString());
        Assert.True(job.GetProperty("dry_run").GetBoolean());
        Assert.NotEmpty(Replacements(job));
        Assert.All(Replacements(job), r => Assert.Equal("dry_run", r.GetProperty("outcome").GetString()));
        Assert.All(job.GetProperty("actions").EnumerateArray(), a =>
        {
            Assert.Equal("DRYRUN", a.GetProperty("result").GetString());
            Assert.Contains("[DRYRUN] would execute ", a.GetProperty("log").GetString(), StringComparison.Ordinal);
        });
    }

    private const System.Text.Json.JsonValueKind JsonValueKindUndefined = System.Text.Json.JsonValueKind.Undefined;
}

public sealed class SqliteOptimizationFlowTests() : OptimizationFlowTests(postgres: false);

public sealed class PostgresOptimizationFlowTests() : OptimizationFlowTests(postgres: true);
