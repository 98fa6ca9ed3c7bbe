using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SpotOptimizer.Api.Tests.Onboarding;
using SpotOptimizer.Cloud.Simulation;
using SpotOptimizer.Grains.Interfaces.Clusters;
using SpotOptimizer.Grains.Interfaces.Market;
using SpotOptimizer.Tenancy;
using Orleans;

namespace SpotOptimizer.Api.Tests.Insights;

/// <summary>
/// KPIs and the projection on a hand-made inventory reported through the cluster grain, with the expected numbers
/// computed here from the simulated market's prices: one Spot node, two On-Demand nodes of one type, a Compute
/// Savings Plan paying exactly one of them at 30 % off and ending in the fifth projected month.
/// </summary>
public abstract class InsightsApiTests(bool postgres)
{
    private sealed record World(SpotOptimizerApp App, TenantClient Tenant, string ClusterId, string AgentToken, PoolQuoteView Pool, double OnDemand);

    private static async Task<World> WorldAsync(SpotOptimizerApp app)
    {
        var tenant = await TenantClient.SignUpAsync(app, $"ops-{Guid.NewGuid():N}@insights.io");
        var accountId = await Journey.LinkAccountAsync(tenant, SimulatedWorld.DemoAccountId);
        var (clusterId, token, _) = await Journey.ConnectFirstClusterAsync(tenant, accountId);
        var grains = app.Services.GetRequiredService<IGrainFactory>();
        var market = await grains.GetGrain<IMarketGrain>("us-east-1").GetSnapshot();
        if (market is null)
        {
            await grains.GetGrain<IMarketGrain>("us-east-1").Start();
            market = await grains.GetGrain<IMarketGrain>("us-east-1").GetSnapshot() ?? throw new InvalidOperationException("no market");
        }

        var onDemand = market.OnDemand.ToDictionary(o => o.InstanceType, o => o.PricePerHour);
        var pool = market.Pools.Where(p => onDemand.TryGetValue(p.InstanceType, out var od) && p.SpotPrice < od && p.InstanceType.StartsWith('m'))
            .OrderBy(p => p.InstanceType, StringComparer.Ordinal).ThenBy(p => p.AvailabilityZone, StringComparer.Ordinal).First();
        return new World(app, tenant, clusterId, token, pool, onDemand[pool.InstanceType]);
    }

    private static AgentInventory Inventory(World world, int webReplicas = 4, WorkloadUsage? webUsage = null)
    {
        var (type, zone) = (world.Pool.InstanceType, world.Pool.AvailabilityZone);
        var allocatable = new InventoryResources(3_900, 14_000, 58);
        InventoryNode Node(string name, string id, string capacity) =>
            new(name, id, type, zone, capacity, "general", null, allocatable, [], [], DateTimeOffset.UtcNow.AddDays(-3));
        var pods = Enumerable.Range(0, webReplicas).Select(i => new InventoryPod($"web-{i}", "shop", "web", "Deployment", i % 2 == 0 ? "n-1" : "n-3", 250, 512, null, null, 0, false)).ToList();
        return new AgentInventory([Node("n-1", "i-1", "spot"), Node("n-2", "i-2", "on_demand"), Node("n-3", "i-3", "on_demand")], pods,
            [new InventoryWorkload("shop", "web", "Deployment", webReplicas, Usage: webUsage)], new InventoryResources(100, 200, 2));
    }

    private static async Task ReportAsync(World world, AgentInventory inventory)
    {
        var grains = world.App.Services.GetRequiredService<IGrainFactory>();
        var ack = await grains.GetGrain<IClusterGrain>(world.ClusterId).ReportInventory(new AgentInventoryReport(AgentTokens.HashOf(world.AgentToken), "test/1", inventory));
        Assert.NotNull(ack);
    }

    private static DateTimeOffset FirstProjectedMonth
    {
        get
        {
            var now = DateTimeOffset.UtcNow;
            return new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero).AddMonths(1);
        }
    }

    private static Task<JsonElement> DeclarePlanAsync(World world) => world.Tenant.PostJsonAsync("/api/commitments", new
    {
        kind = "compute_savings_plan", hourly_commitment = world.OnDemand * 0.7, discount_percent = 30,
        starts_at = DateTimeOffset.UtcNow.AddDays(-1), ends_at = FirstProjectedMonth.AddMonths(4).AddDays(14),
    }, HttpStatusCode.Created);

    [SkippableFact]
    public async Task Kpi_HandMadeInventory_KnownNumbers_CachedUntilAnInputChanges()
    {
        await using var app = await SpotOptimizerApp.CreateAsync(postgres);
        var world = await WorldAsync(app);
        await ReportAsync(world, Inventory(world));
        await DeclarePlanAsync(world);
        var (spot, od) = (world.Pool.SpotPrice, world.OnDemand);

        var kpi = await world.Tenant.GetJsonAsync($"/api/metrics/kpi?cluster_id={world.ClusterId}");

        Assert.Equal((spot + (0.7 * od) + od) * 730, kpi.GetProperty("current_monthly_spend").GetProperty("value").GetDouble(), 4);
        Assert.Equal(3 * od * 730, kpi.GetProperty("on_demand_monthly_spend").GetProperty("value").GetDouble(), 4);
        Assert.Contains("agent's latest inventory", kpi.GetProperty("current_monthly_spend").GetProperty("basis").GetString(), StringComparison.Ordinal);
        var composition = kpi.GetProperty("composition");
        Assert.Equal((1, 1, 1), (composition.GetProperty("spot").GetInt32(), composition.GetProperty("on_demand").GetInt32(),
            composition.GetProperty("covered_by_commitments").GetInt32()));
        Assert.Equal(1.0, Assert.Single(kpi.GetProperty("commitments").EnumerateArray()).GetProperty("utilisation").GetDouble(), 6);
        Assert.Equal("no headroom configured", kpi.GetProperty("headroom_monthly_cost").GetProperty("basis").GetString());
        var cluster = Assert.Single(kpi.GetProperty("clusters").EnumerateArray());
        Assert.Equal("agent_inventory", cluster.GetProperty("node_source").GetString());
        var computed = cluster.GetProperty("computations").GetInt32();

        var again = await world.Tenant.GetJsonAsync($"/api/metrics/kpi?cluster_id={world.ClusterId}");
        Assert.Equal(computed, again.GetProperty("clusters")[0].GetProperty("computations").GetInt32());

        await ReportAsync(world, Inventory(world, webReplicas: 6));
        var changed = await world.Tenant.GetJsonAsync($"/api/metrics/kpi?cluster_id={world.ClusterId}");
        Assert.Equal(computed + 1, changed.GetProperty("clusters")[0].GetProperty("computations").GetInt32());
        var organization = await world.Tenant.GetJsonAsync("/api/metrics/kpi");
        Assert.Equal("organization", organization.GetProperty("scope").GetString());
        Assert.Equal((spot + (0.7 * od) + od) * 730, organization.GetProperty("current_monthly_spend").GetProperty("value").GetDouble(), 4);

        using (var patched = await world.Tenant.Http.PatchAsync("/api/policies/headroom",
            JsonContent.Create(new { cluster_id = world.ClusterId, cpu_millicores = 2000, memory_mib = 1024, share_of_requests = 0.5 })))
        {
            await TenantClient.ExpectAsync(patched, HttpStatusCode.OK);
        }

        var withHeadroom = await world.Tenant.GetJsonAsync($"/api/metrics/kpi?cluster_id={world.ClusterId}");
        // Six 250 m / 512 MiB pods request 1,500 m and 3,072 MiB: spare = max(2,000, 0.5 × 1,500) = 2,000 m and max(1,024, 0.5 × 3,072) = 1,536 MiB.
        // Unit prices: the three nodes' prices (spot + 2 × od, commitments aside) over 3 × (3.9 vCPU × 10 + 14,000 / 1,024 GiB) GiB-equivalents.
        var perGiB = (spot + od + od) / (3 * ((3.9 * 10) + (14_000 / 1024.0)));
        var headroomCost = ((2 * 10 * perGiB) + (1.5 * perGiB)) * 730;
        var figure = withHeadroom.GetProperty("headroom_monthly_cost");
        Assert.Equal(headroomCost, figure.GetProperty("value").GetDouble(), 4);
        Assert.Contains("2000 m CPU and 1536 MiB kept free", figure.GetProperty("basis").GetString(), StringComparison.Ordinal);
        Assert.Equal(computed + 2, withHeadroom.GetProperty("clusters")[0].GetProperty("computations").GetInt32());
        Assert.Equal(headroomCost, (await world.Tenant.GetJsonAsync("/api/metrics/kpi")).GetProperty("headroom_monthly_cost").GetProperty("value").GetDouble(), 4);
    }

    [SkippableFact]
    public async Task Kpi_LedgerReplacementsAndInterruption_SavingsAndHiveMindCounted()
    {
        await using var app = await SpotOptimizerApp.CreateAsync(postgres);
        var world = await WorldAsync(app);
        await ReportAsync(world, Inventory(world));
        var ledger = app.Services.GetRequiredService<AuditLedger>();
        var type = world.Pool.InstanceType;
        string Replaced(string oldId, string newId, double oldPrice, double newPrice, string reason) => JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["job_id"] = "j-1", ["old_instance_id"] = oldId, ["old_instance_type"] = type, ["old_zone"] = world.Pool.AvailabilityZone, ["old_purchase"] = "on_demand",
            ["old_price_per_hour"] = oldPrice, ["new_instance_id"] = newId, ["new_instance_type"] = type, ["new_zone"] = world.Pool.AvailabilityZone,
            ["new_purchase"] = "spot", ["new_price_per_hour"] = newPrice, ["reason"] = reason,
        });
        var before = (await world.Tenant.GetJsonAsync($"/api/metrics/kpi?cluster_id={world.ClusterId}")).GetProperty("clusters")[0].GetProperty("computations").GetInt32();
        var started = DateTimeOffset.UtcNow;
        await ledger.RecordAsync(world.Tenant.OrganizationId, "optimizer", "node.replaced", $"cluster:{world.ClusterId}", Replaced("i-9", "i-1", world.OnDemand, 0.01, "on_demand_to_spot"), CancellationToken.None);
        await ledger.RecordAsync(world.Tenant.OrganizationId, "optimizer", "node.replaced", $"cluster:{world.ClusterId}", Replaced("i-8", "i-7", 0.5, 0.02, "pool_flagged"), CancellationToken.None);
        await ledger.RecordAsync(world.Tenant.OrganizationId, "agent", "spot.interruption_reported", "instance:i-7",
            JsonSerializer.Serialize(new { kind = "interruption", pool = "p", notice_time = DateTimeOffset.UtcNow, flagged_until = DateTimeOffset.UtcNow.AddMinutes(30) }), CancellationToken.None);

        var kpi = await world.Tenant.GetJsonAsync($"/api/metrics/kpi?cluster_id={world.ClusterId}");
        var elapsedHours = (DateTimeOffset.UtcNow - started).TotalHours;

        var savings = kpi.GetProperty("clusters")[0].GetProperty("savings");
        Assert.Equal((2, 1), (savings.GetProperty("replacements").GetInt32(), savings.GetProperty("interruptions").GetInt32()));
        // The interrupted node's type at On-Demand for the one-hour overlap; gross is what two nodes saved in the seconds they ran.
        Assert.Equal(world.OnDemand, savings.GetProperty("interruption_cost").GetDouble(), 6);
        var gross = savings.GetProperty("gross").GetDouble();
        // The API rounds amounts to 6 decimals: over a few seconds the true gross is below 1e-6 and may round up to it.
        Assert.InRange(gross, 0, ((world.OnDemand - 0.01) + 0.48) * elapsedHours + 0.5e-6);
        Assert.Equal(gross - world.OnDemand, kpi.GetProperty("net_savings_realised").GetProperty("value").GetDouble(), 5);
        Assert.Equal(1, kpi.GetProperty("interruptions_avoided").GetProperty("value").GetDouble());
        Assert.Contains("pool_flagged", kpi.GetProperty("interruptions_avoided").GetProperty("basis").GetString(), StringComparison.Ordinal);
        Assert.True(kpi.GetProperty("clusters")[0].GetProperty("computations").GetInt32() > before);
    }

    [SkippableFact]
    public async Task Projection_CommitmentEndingInMonthFive_RaisesMonthsSixToTwelve()
    {
        await using var app = await SpotOptimizerApp.CreateAsync(postgres);
        var world = await WorldAsync(app);
        await ReportAsync(world, Inventory(world));
        await DeclarePlanAsync(world);
        var (spot, od) = (world.Pool.SpotPrice, world.OnDemand);
        var asReported = await world.Tenant.GetJsonAsync($"/api/metrics/projection?cluster_id={world.ClusterId}");
        // web turns out over-provisioned: CPU p95 100 m and memory p99 200 MiB over 14 days → 115 m and 232 MiB per pod instead of 250 m and 512 MiB.
        await ReportAsync(world, Inventory(world, webUsage: new WorkloadUsage(14, "metrics-server", 60, 100, 120, 150, 180, 200)));

        var projection = await world.Tenant.GetJsonAsync($"/api/metrics/projection?cluster_id={world.ClusterId}");

        var unoptimized = projection.GetProperty("unoptimized").EnumerateArray().ToList();
        var optimized = projection.GetProperty("optimized").EnumerateArray().ToList();
        Assert.Equal(12, unoptimized.Count);
        Assert.Equal(FirstProjectedMonth, unoptimized[0].GetProperty("month_start").GetDateTimeOffset());
        Assert.Equal(Math.Round((spot + (0.7 * od) + od) * 730, 2), unoptimized[0].GetProperty("amount").GetDouble(), 2);
        Assert.Equal(Math.Round((spot + od + od) * 730, 2), unoptimized[11].GetProperty("amount").GetDouble(), 2);
        Assert.InRange(unoptimized[4].GetProperty("amount").GetDouble(), unoptimized[0].GetProperty("amount").GetDouble(), unoptimized[5].GetProperty("amount").GetDouble());
        // The covered node is kept either way; once the plan ends it is the stable base at list price: +0.3 × od × 730 in both series.
        Assert.Equal(0.3 * od * 730, optimized[11].GetProperty("amount").GetDouble() - optimized[0].GetProperty("amount").GetDouble(), 1);
        Assert.All(Enumerable.Range(0, 12), m => Assert.True(optimized[m].GetProperty("amount").GetDouble() <= unoptimized[m].GetProperty("amount").GetDouble() + 0.01));
        Assert.True(optimized[0].GetProperty("amount").GetDouble() < unoptimized[0].GetProperty("amount").GetDouble(), "moving the uncovered On-Demand node to Spot saves");
        var plan = projection.GetProperty("plan");
        Assert.Equal((3, 1), (plan.GetProperty("nodes_before").GetInt32(), plan.GetProperty("kept_covered").GetInt32()));
        var rightSizing = plan.GetProperty("right_sizing");
        Assert.Equal((4, 1, 1, 0), (rightSizing.GetProperty("pods_resized").GetInt32(), rightSizing.GetProperty("workloads_resized").GetInt32(),
            rightSizing.GetProperty("workloads_decreased").GetInt32(), rightSizing.GetProperty("workloads_increased").GetInt32()));
        // 4 × (250 − 115) m and 4 × (512 − 232) MiB.
        Assert.Equal((540, 1120), (rightSizing.GetProperty("cpu_millicores_saved").GetInt64(), rightSizing.GetProperty("memory_mib_saved").GetInt64()));
        // What right-sizing contributed is the first month's optimized amount on the requests as reported minus with right-sizing.
        Assert.Equal(0, asReported.GetProperty("plan").GetProperty("right_sizing").GetProperty("pods_resized").GetInt32());
        Assert.Equal(asReported.GetProperty("optimized")[0].GetProperty("amount").GetDouble() - optimized[0].GetProperty("amount").GetDouble(),
            rightSizing.GetProperty("monthly_saving").GetDouble(), 2);
        Assert.Equal(asReported.GetProperty("unoptimized")[0].GetProperty("amount").GetDouble(), unoptimized[0].GetProperty("amount").GetDouble());
        Assert.False(string.IsNullOrWhiteSpace(projection.GetProperty("basis").GetString()));

        using var missing = await world.Tenant.Http.GetAsync("/api/metrics/projection");
        await Sweeps.ProblemAssert.IsAsync(missing, HttpStatusCode.BadRequest, "cluster_id_required");
    }
}

public sealed class SqliteInsightsApiTests() : InsightsApiTests(postgres: false);

public sealed class PostgresInsightsApiTests() : InsightsApiTests(postgres: true);
