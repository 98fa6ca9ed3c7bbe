using System.Net;
using System.Text.Json;
using SpotOptimizer.Api.Tests.Onboarding;
using SpotOptimizer.Cloud.Simulation;
using SpotOptimizer.Testing;

namespace SpotOptimizer.Api.Tests.Optimization;

/// <summary>Optimization steps through the HTTP API, shared by the optimization tests.</summary>
public static class OptimizationJourney
{
    /// <summary>Fast simulated timings: nodes boot at once, the executor polls every few milliseconds.</summary>
    public static readonly IReadOnlyDictionary<string, string?> FastCloud = new Dictionary<string, string?>
    {
        ["Cloud:Simulator:BootTime"] = "00:00:00",
        ["Executor:ReadyPoll"] = "00:00:00.020",
        ["Executor:DrainRetryDelay"] = "00:00:00.020",
    };

    public static Dictionary<string, string?> Settings(params (string Key, string? Value)[] extra)
    {
        var settings = new Dictionary<string, string?>(FastCloud);
        foreach (var (key, value) in extra) settings[key] = value;
        return settings;
    }

    /// <summary>Signs up, links <paramref name="awsAccountId"/> and connects its first cluster.</summary>
    public static async Task<(TenantClient Tenant, string ClusterId)> ConnectedTenantAsync(SpotOptimizerApp app, string awsAccountId, string email)
    {
        var tenant = await TenantClient.SignUpAsync(app, email);
        var accountId = await Journey.LinkAccountAsync(tenant, awsAccountId);
        var (clusterId, _, _) = await Journey.ConnectFirstClusterAsync(tenant, accountId);
        return (tenant, clusterId);
    }

    public static async Task<string> StartAsync(TenantClient tenant, string clusterId)
    {
        var accepted = await tenant.PostJsonAsync($"/api/clusters/{clusterId}/optimize", null, HttpStatusCode.Accepted);
        return accepted.GetProperty("job_id").GetString()!;
    }

    public static Task<JsonElement> FinishedAsync(TenantClient tenant, string jobId) =>
        Eventually.Wait(
            () => tenant.GetJsonAsync($"/api/jobs/{jobId}"),
            job => job.GetProperty("status").GetString() is "succeeded" or "partial" or "failed",
            what: $"job {jobId} to finish",
            within: TimeSpan.FromSeconds(60));

    public static async Task<JsonElement> OptimizeAsync(TenantClient tenant, string clusterId) => await FinishedAsync(tenant, await StartAsync(tenant, clusterId));

    public static IEnumerable<JsonElement> Replacements(JsonElement job) => job.GetProperty("plan").GetProperty("replacements").EnumerateArray();

    public static SimulatedCloud SimulatedCloudOf(SpotOptimizerApp app) => (SimulatedCloud)app.Services.GetService(typeof(SimulatedCloud))!;
}
