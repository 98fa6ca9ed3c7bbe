using System.Net;
using System.Net.Http.Json;
using SpotOptimizer.Cloud.Simulation;
using SpotOptimizer.Testing;
using static SpotOptimizer.Api.Tests.Optimization.OptimizationJourney;

namespace SpotOptimizer.Api.Tests.Optimization;

/// <summary>
/// The policy's strategy reaches the selection: "stability" moves a node only onto the best Spot Advisor bucket on
/// offer for it (capacity first), "cost_optimized" also takes cheaper pools of a worse bucket when they score better (it does not rank the best bucket first).
/// </summary>
public sealed class StabilityStrategyTests
{
    [Fact]
    public async Task Optimize_StabilityStrategy_TargetsNoWorseBucketThanCostOptimizedAndSomeBetter()
    {
        var stability = await TargetBucketsAsync("stability");
        var cost = await TargetBucketsAsync("cost_optimized");

        var both = stability.Keys.Intersect(cost.Keys).ToList();
        Assert.NotEmpty(both);
        Assert.All(both, node => Assert.True(stability[node] <= cost[node], $"{node}: bucket {stability[node]} under stability, {cost[node]} under cost_optimized"));
        Assert.Contains(both, node => stability[node] < cost[node]);
    }

    /// <summary>The Spot Advisor bucket each replaced node's new type has, by the replaced instance, in a fresh demo world.</summary>
    private static async Task<Dictionary<string, int>> TargetBucketsAsync(string strategy)
    {
        await using var app = await SpotOptimizerApp.CreateAsync(postgres: false, Settings());
        var (tenant, clusterId) = await ConnectedTenantAsync(app, SimulatedWorld.DemoAccountId, $"ops@{strategy.Replace('_', '-')}.io");
        using (var patch = await tenant.Http.PatchAsJsonAsync("/api/policies/karpenter", new { cluster_id = clusterId, enabled = true, strategy }, TenantClient.Json))
        {
            Assert.Equal(HttpStatusCode.OK, patch.StatusCode);
        }

        var job = await OptimizeAsync(tenant, clusterId);
        return Replacements(job).ToDictionary(
            r => r.GetProperty("instance_id").GetString()!,
            r => SimulatedCloud.BuiltInAdvisorBuckets[r.GetProperty("target_type").GetString()!]);
    }
}
