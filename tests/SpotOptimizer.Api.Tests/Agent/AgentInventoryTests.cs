using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using SpotOptimizer.Cloud.Simulation;
using SpotOptimizer.Api.Tests.Onboarding;
using SpotOptimizer.Api.Tests.Sweeps;
using static SpotOptimizer.Api.Tests.Optimization.OptimizationJourney;

namespace SpotOptimizer.Api.Tests.Agent;

/// <summary>
/// POST /api/agent/inventory: every refusal answers its code and stores nothing (not even the heartbeat it would be);
/// an accepted report becomes the cluster's node counts, moves its version only on change, and makes its Spot nodes
/// known to the interruption door before discovery has seen them.
/// </summary>
public abstract class AgentInventoryTests(bool postgres)
{
    public static readonly (string Name, Action<JsonObject> Defect, string Code, string? Field)[] Refusals =
    [
        ("capacity type unknown", b => Nodes(b)[0]!["capacity_type"] = "reserved", "validation_failed", "nodes[0].capacity_type"),
        ("negative allocatable", b => Nodes(b)[0]!["allocatable"]!["cpu_millicores"] = -1, "validation_failed", "nodes[0].allocatable.cpu_millicores"),
        ("absurd memory request", b => Pods(b)[0]!["memory_request_mib"] = 100_000_000, "validation_failed", "pods[0].memory_request_mib"),
        ("limit below request", b => Pods(b)[0]!["cpu_limit_millicores"] = 100, "validation_failed", "pods[0].cpu_limit_millicores"),
        ("instance id not EC2's", b => Nodes(b)[0]!["instance_id"] = "node-1", "validation_failed", "nodes[0].instance_id"),
        ("percentiles out of order", b => b["workloads"]![0]!["usage"]!["cpu_p95_millicores"] = 30, "validation_failed", "workloads[0].usage.cpu_p95_millicores"),
        ("usage source unknown", b => b["workloads"]![0]!["usage"]!["source"] = "datadog", "validation_failed", "workloads[0].usage.source"),
        ("both PDB fields", b => b["workloads"]![0]!["pdb_max_unavailable"] = 1, "validation_failed", "workloads[0].pdb_max_unavailable"),
        ("a null node", b => Nodes(b).Add(null), "validation_failed", "nodes[3]"),
        ("no daemonset overhead", b => b.Remove("daemonset_overhead"), "validation_failed", "daemonset_overhead"),
        ("over 5000 nodes", b => b["nodes"] = new JsonArray([.. Enumerable.Range(0, 5001).Select(i =>
            (JsonNode)InventoryBody.Node($"n{i}", $"i-{i:x17}", "m5.large", "us-east-1a", "spot"))]), "validation_failed", "nodes"),
        ("pod on an unreported node", b => Pods(b)[0]!["node"] = "ip-10-9-9-9.ec2.internal", "unknown_node", null),
        ("node name twice", b => Nodes(b)[1]!["name"] = Nodes(b)[0]!["name"]!.GetValue<string>(), "duplicate_node", null),
        ("instance id twice", b => Nodes(b)[2]!["instance_id"] = Nodes(b)[0]!["instance_id"]!.GetValue<string>(), "duplicate_instance", null),
        ("pod twice", b => Pods(b).Add(Pods(b)[0]!.DeepClone()), "duplicate_pod", null),
        ("workload twice", b => b["workloads"]!.AsArray().Add(b["workloads"]![0]!.DeepClone()), "duplicate_workload", null),
    ];

    [SkippableFact]
    public async Task Report_RefusedThenAccepted_CountsComeFromTheInventory()
    {
        await using var app = await SpotOptimizerApp.CreateAsync(postgres, Settings());
        var tenant = await TenantClient.SignUpAsync(app, $"inventory-{Guid.NewGuid():N}@example.com");
        var accountId = await Journey.LinkAccountAsync(tenant, "210987654330");
        var (clusterId, token, _) = await Journey.ConnectFirstClusterAsync(tenant, accountId);
        var http = app.CreateClient();
        var discovered = await tenant.GetJsonAsync($"/api/clusters/{clusterId}");

        foreach (var (name, defect, code, field) in Refusals)
        {
            var body = InventoryBody.Valid();
            defect(body);
            using var refused = await InventoryBody.PostAsync(http, token, body.ToJsonString());
            var problem = await ProblemAssert.IsAsync(refused, HttpStatusCode.BadRequest, code);
            if (field is not null) Assert.True(ProblemAssert.ErrorFields(problem).Contains(field), $"{name}: {problem}");
        }

        Assert.Equal(discovered.GetRawText(), (await tenant.GetJsonAsync($"/api/clusters/{clusterId}")).GetRawText());
        using (var stranger = await InventoryBody.PostAsync(http, token[..^4] + "AAAA", InventoryBody.Valid().ToJsonString()))
            await ProblemAssert.IsAsync(stranger, HttpStatusCode.Unauthorized, "invalid_agent_token");
        using (var anonymous = await http.PostAsync("/api/agent/inventory", ProblemAssert.Json(InventoryBody.Valid().ToJsonString())))
            await ProblemAssert.IsAsync(anonymous, HttpStatusCode.Unauthorized, "invalid_agent_token");

        var first = await TenantClient.ExpectAsync(await InventoryBody.PostAsync(http, token, InventoryBody.Valid().ToJsonString()), HttpStatusCode.OK);
        var same = await TenantClient.ExpectAsync(await InventoryBody.PostAsync(http, token, InventoryBody.Valid().ToJsonString()), HttpStatusCode.OK);
        var changed = InventoryBody.Valid();
        Pods(changed).RemoveAt(2);
        var third = await TenantClient.ExpectAsync(await InventoryBody.PostAsync(http, token, changed.ToJsonString()), HttpStatusCode.OK);

        Assert.Equal(clusterId, first.GetProperty("cluster_id").GetString());
        Assert.True(first.TryGetProperty("policy_version", out _) && first.TryGetProperty("received_at", out _));
        Assert.Equal([1, 1, 2], new[] { first, same, third }.Select(a => a.GetProperty("inventory_version").GetInt32()));
        var view = await tenant.GetJsonAsync($"/api/clusters/{clusterId}");
        Assert.Equal((3, 2, "green"), (view.GetProperty("node_count").GetInt32(), view.GetProperty("spot_node_count").GetInt32(), view.GetProperty("agent_status").GetString()));
        Assert.NotEqual(3, discovered.GetProperty("node_count").GetInt32());
    }

    [SkippableFact]
    public async Task Interruption_SpotNodeOnlyTheAgentReported_AcceptedAtOnce()
    {
        await using var app = await SpotOptimizerApp.CreateAsync(postgres, Settings());
        var tenant = await TenantClient.SignUpAsync(app, $"inventory-spot-{Guid.NewGuid():N}@example.com");
        var accountId = await Journey.LinkAccountAsync(tenant, "210987654331");
        var (_, token, _) = await Journey.ConnectFirstClusterAsync(tenant, accountId);
        using var agent = app.CreateClient();
        agent.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var notice = new { instance_id = InventoryBody.SpotInstanceId, kind = "interruption" };
        await ProblemAssert.IsAsync(await agent.PostAsJsonAsync("/api/agent/interruptions", notice), HttpStatusCode.UnprocessableEntity, "unknown_instance");

        await TenantClient.ExpectAsync(await InventoryBody.PostAsync(agent, token, InventoryBody.Valid().ToJsonString()), HttpStatusCode.OK);
        var reported = await TenantClient.ExpectAsync(await agent.PostAsJsonAsync("/api/agent/interruptions", notice), HttpStatusCode.OK);

        // The node is in this account's us-east-1b; the hive mind names the pool by the market's name for that zone ID.
        var cloud = app.Services.GetRequiredService<SimulatedCloud>();
        var zoneId = SimulatedNetwork.ZoneId("210987654331", "us-east-1", "us-east-1b");
        var marketZone = cloud.PublicZones("us-east-1").Single(z => z.ZoneId == zoneId).ZoneName;
        Assert.Equal($"us-east-1/{marketZone}/c5.xlarge", reported.GetProperty("pool").GetString());
        Assert.Contains("spot.interruption_reported", await Journey.ActivityActionsAsync(tenant));
    }

    private static JsonArray Nodes(JsonObject body) => body["nodes"]!.AsArray();

    private static JsonArray Pods(JsonObject body) => body["pods"]!.AsArray();
}

public sealed class SqliteAgentInventoryTests() : AgentInventoryTests(postgres: false);

public sealed class PostgresAgentInventoryTests() : AgentInventoryTests(postgres: true);
