using System.Net;
using System.Text.Json;
using SpotOptimizer.Api.Tests.Onboarding;
using SpotOptimizer.Api.Tests.Sweeps;
using SpotOptimizer.Cloud.Simulation;
using SpotOptimizer.Grains.Interfaces.Clusters;
using Orleans;
using static SpotOptimizer.Api.Tests.Optimization.OptimizationJourney;

namespace SpotOptimizer.Api.Tests.Optimization;

/// <summary>
/// GET /api/clusters/{id}/recommendations on an inventory reported through the cluster grain: one over-provisioned,
/// one under-provisioned and one unmeasured workload on one On-Demand m5.xlarge ($0.192/h, 4 vCPU / 16 GiB allocatable),
/// so a vCPU-hour costs 10 × $0.192 / 56 and a GiB-hour $0.192 / 56.
/// </summary>
public abstract class RecommendationsTests(bool postgres)
{
    private const double PerGiBHour = 0.192 / 56;
    private const double PerVCpuHour = PerGiBHour * 10;

    private static readonly AgentInventory Inventory = new(
        [
            Node("ip-10-0-1-1", "m5.xlarge"),
            Node("ip-10-0-1-2", "z9.unlisted"), // no market price: left out of the unit prices, and said so
        ],
        [
            .. Enumerable.Range(0, 3).Select(i => Pod($"api-{i}", "api", 1000, 2048, null, null)),
            .. Enumerable.Range(0, 2).Select(i => Pod($"cart-{i}", "cart", 100, 256, 200, 300)),
            Pod("batch-0", "batch", 500, 1024, null, null),
        ],
        [
            new("shop", "api", "Deployment", 3, Usage: new WorkloadUsage(14, "prometheus", 120, 200, 260, 400, 480, 500)),
            new("shop", "cart", "Deployment", 2, Usage: new WorkloadUsage(14, "metrics-server", 90, 150, 170, 250, 280, 290)),
            new("shop", "batch", "Deployment", 1),
        ],
        new InventoryResources(100, 256, 2));

    [SkippableFact]
    public async Task Recommendations_ReportedInventory_ItemsCodesAndHandComputedSavings()
    {
        await using var app = await SpotOptimizerApp.CreateAsync(postgres, Settings());
        var tenant = await TenantClient.SignUpAsync(app, $"ops-{Guid.NewGuid():N}@sizing.io");
        var accountId = await Journey.LinkAccountAsync(tenant, SimulatedWorld.DemoAccountId);
        var (clusterId, token, _) = await Journey.ConnectFirstClusterAsync(tenant, accountId);
        var url = $"/api/clusters/{clusterId}/recommendations";

        var waiting = await tenant.GetJsonAsync(url);
        Assert.Equal("no_inventory", waiting.GetProperty("status").GetString());
        Assert.Empty(waiting.GetProperty("items").EnumerateArray());

        var grains = app.Services.GetRequiredService<IGrainFactory>();
        var ack = await grains.GetGrain<IClusterGrain>(clusterId).ReportInventory(new AgentInventoryReport(AgentTokens.HashOf(token), "test/1", Inventory));
        var activityBefore = await Journey.ActivityActionsAsync(tenant);
        var answer = await tenant.GetJsonAsync(url);

        Assert.Equal("ok", answer.GetProperty("status").GetString());
        Assert.Equal((clusterId, ack!.InventoryVersion), (answer.GetProperty("cluster_id").GetString(), answer.GetProperty("inventory_version").GetInt32()));
        Assert.Equal((14.0, 0.15), (answer.GetProperty("window_days").GetDouble(), answer.GetProperty("margin").GetDouble()));
        Assert.Contains("1 node(s) without a market price left out", answer.GetProperty("basis").GetString(), StringComparison.Ordinal);
        Assert.Equal(PerVCpuHour, answer.GetProperty("unit_prices").GetProperty("per_vcpu_hour").GetDouble(), 6);
        Assert.Equal(PerGiBHour, answer.GetProperty("unit_prices").GetProperty("per_gib_hour").GetDouble(), 6);

        var api = Item(answer, "api");
        Assert.Equal("over_provisioned", api.GetProperty("code").GetString());
        // 200m × 1.15 = 230m; 500 MiB × 1.15 = 575 → 576 MiB; limit 1.5 × 576; no CPU limit where there was none.
        Assert.Equal("""{"cpu_request_millicores":230,"memory_request_mib":576,"cpu_limit_millicores":null,"memory_limit_mib":864}""",
            api.GetProperty("recommended").GetRawText());
        var apiSaving = Math.Round(((0.770 * PerVCpuHour) + (1472 / 1024.0 * PerGiBHour)) * 3 * 730, 2); // = 68.61
        Assert.Equal(apiSaving, api.GetProperty("monthly_saving").GetDouble());
        Assert.Equal("prometheus", api.GetProperty("usage").GetProperty("source").GetString());

        var cart = Item(answer, "cart");
        Assert.Equal(("under_provisioned", "oom_kill_risk"), (cart.GetProperty("code").GetString(), cart.GetProperty("risk").GetString()));
        Assert.Equal("""{"cpu_request_millicores":175,"memory_request_mib":336,"cpu_limit_millicores":350,"memory_limit_mib":504}""",
            cart.GetProperty("recommended").GetRawText());
        var cartCost = Math.Round(((-0.075 * PerVCpuHour) - (80 / 1024.0 * PerGiBHour)) * 2 * 730, 2); // = −4.15
        Assert.Equal(cartCost, cart.GetProperty("monthly_saving").GetDouble());

        Assert.Equal(2, answer.GetProperty("items").GetArrayLength());
        Assert.Equal("""[{"namespace":"shop","workload":"batch","code":"no_usage_data"}]""", answer.GetProperty("skipped").GetRawText());
        Assert.Equal(Math.Round(apiSaving + cartCost, 2), answer.GetProperty("total_monthly_saving").GetDouble(), 6);
        Assert.Equal(-cartCost, answer.GetProperty("monthly_cost_of_increases").GetDouble(), 6);
        Assert.Equal(activityBefore, await Journey.ActivityActionsAsync(tenant)); // recommendations only: nothing recorded

        // A new report moves the inventory's version: the answer is recomputed, not served from the grain's cache.
        var measured = Inventory with { Workloads = [.. Inventory.Workloads.Take(2), new("shop", "batch", "Deployment", 1, Usage: new WorkloadUsage(3.5, "prometheus", 400, 480, 490, 900, 950, 980))] };
        var again = await grains.GetGrain<IClusterGrain>(clusterId).ReportInventory(new AgentInventoryReport(AgentTokens.HashOf(token), "test/1", measured));
        var updated = await tenant.GetJsonAsync(url);
        Assert.Equal(again!.InventoryVersion, updated.GetProperty("inventory_version").GetInt32());
        Assert.Empty(updated.GetProperty("skipped").EnumerateArray());
        Assert.Equal(0.25, Item(updated, "batch").GetProperty("confidence").GetDouble()); // 3.5 of 14 days

        var other = await TenantClient.SignUpAsync(app, $"ops-{Guid.NewGuid():N}@elsewhere.io");
        await ProblemAssert.IsAsync(await other.Http.GetAsync(url), HttpStatusCode.NotFound, "not_found");
        await ProblemAssert.IsAsync(await tenant.Http.GetAsync($"/api/clusters/{Guid.NewGuid()}/recommendations"), HttpStatusCode.NotFound, "not_found");
    }

    private static JsonElement Item(JsonElement answer, string workload) =>
        answer.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("workload").GetString() == workload);

    private static InventoryNode Node(string name, string type) =>
        new(name, $"i-{name[^1]}0000000000000000", type, "us-east-1a", "on_demand", "general", null, new InventoryResources(4000, 16384, 58), [], [],
            DateTimeOffset.Parse("2026-01-05T08:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    private static InventoryPod Pod(string name, string workload, int cpu, int memory, int? cpuLimit, int? memoryLimit) =>
        new(name, "shop", workload, "Deployment", "ip-10-0-1-1", cpu, memory, cpuLimit, memoryLimit, Priority: 0, DoNotDisrupt: false);
}

public sealed class SqliteRecommendationsTests() : RecommendationsTests(postgres: false);

public sealed class PostgresRecommendationsTests() : RecommendationsTests(postgres: true);
