using System.Net;
using System.Net.Http.Json;
using SpotOptimizer.Api.Tests.Onboarding;
using SpotOptimizer.Cloud.Simulation;
using static SpotOptimizer.Api.Tests.Optimization.OptimizationJourney;

namespace SpotOptimizer.Api.Tests.Optimization;

/// <summary>A cluster keeps its 20 newest jobs; an older job's record goes, while the ledger keeps what it did.</summary>
public sealed class JobRetentionTests
{
    [Fact]
    public async Task TwentyFirstJob_DropsTheOldest_LedgerKeepsIt()
    {
        await using var app = await SpotOptimizerApp.CreateAsync(false, Settings());
        var (tenant, clusterId) = await ConnectedTenantAsync(app, SimulatedWorld.DemoAccountId, "ops@retention.io");
        using (var dryRun = await tenant.Http.PatchAsJsonAsync("/api/policies/dry-run", new { cluster_id = clusterId, enabled = true }, TenantClient.Json))
            Journey.AssertStatus(dryRun, HttpStatusCode.OK);
        var jobs = new List<string>();
        for (var i = 0; i < 21; i++) jobs.Add((await OptimizeAsync(tenant, clusterId)).GetProperty("job_id").GetString()!);

        var listed = (await tenant.GetJsonAsync($"/api/clusters/{clusterId}/jobs")).GetProperty("jobs").EnumerateArray()
            .Select(j => j.GetProperty("job_id").GetString()).ToList();

        Assert.Equal(Enumerable.Reverse(jobs).Take(20), listed);
        await tenant.GetJsonAsync($"/api/jobs/{jobs[0]}", HttpStatusCode.NotFound);
        await tenant.GetJsonAsync($"/api/jobs/{jobs[1]}");
        var planned = (await tenant.GetJsonAsync("/api/audit?limit=500")).GetProperty("entries").EnumerateArray()
            .Where(e => e.GetProperty("action").GetString() == "optimization.planned").Select(e => e.GetProperty("after").GetString()!).ToList();
        Assert.Contains(planned, p => p.Contains(jobs[0], StringComparison.Ordinal));
    }
}
