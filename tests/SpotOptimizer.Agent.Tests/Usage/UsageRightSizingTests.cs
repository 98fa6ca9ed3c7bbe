using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SpotOptimizer.Agent.Reporting;
using SpotOptimizer.Agent.Usage;
using SpotOptimizer.Api.Tests;
using SpotOptimizer.Api.Tests.Onboarding;
using SpotOptimizer.Cloud.Simulation;
using SpotOptimizer.SimulatedKubernetes;
using SpotOptimizer.Testing;

namespace SpotOptimizer.Agent.Tests.Usage;

/// <summary>
/// The real agent's usage reaching the real platform's right-sizing: two days of ticks (the right-sizer's minimum) on
/// the simulated cluster's clock, then <c>GET /api/clusters/{id}/recommendations</c> sizes the workloads.
/// </summary>
public abstract class UsageRightSizingTests(bool postgres)
{
    [SkippableFact]
    public async Task TwoDaysOfAgentReports_RecommendationsSizeTheWorkloads()
    {
        await using var app = await SpotOptimizerApp.CreateAsync(postgres);
        var tenant = await TenantClient.SignUpAsync(app, $"usage-e2e-{Guid.NewGuid():N}@example.com");
        const string awsAccount = "310987654322";
        var accountId = await Journey.LinkAccountAsync(tenant, awsAccount);
        var (clusterId, token, _) = await Journey.ConnectFirstClusterAsync(tenant, accountId);
        var cluster = await tenant.GetJsonAsync($"/api/clusters/{clusterId}");
        var (name, region) = (cluster.GetProperty("name").GetString()!, cluster.GetProperty("region").GetString()!);
        var cloud = app.Services.GetRequiredService<SimulatedCloud>();
        var inventory = SimulatedWorkloads.For(cloud.World.FindAccount(awsAccount)!.FindRegion(region)!.NodesOf(name), 12);

        var clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var kubernetes = await SimulatedClusterHost.StartAsync(() => KubernetesObjects.From(inventory), new KubernetesOverlay(), clock);
        using var client = kubernetes.Client();
        using var reporter = new InventoryReporter(new ClusterReader(client), new PlatformClient(app.CreateClient(), token),
            Options.Create(new AgentOptions()), clock, NullLogger<InventoryReporter>.Instance,
            new PodMetricsReader(client, NullLogger<PodMetricsReader>.Instance), new UsageHistory(TimeSpan.FromDays(14), TimeSpan.FromHours(1)));

        await reporter.ReportOnceAsync(CancellationToken.None);
        var early = await tenant.GetJsonAsync($"/api/clusters/{clusterId}/recommendations");
        for (var tick = 0; tick < 24; tick++)
        {
            clock.Advance(TimeSpan.FromHours(2));
            await reporter.ReportOnceAsync(CancellationToken.None);
        }

        var answer = await tenant.GetJsonAsync($"/api/clusters/{clusterId}/recommendations");
        // One scrape covers no time: nothing to size yet.
        Assert.Empty(early.GetProperty("items").EnumerateArray());
        var items = answer.GetProperty("items").EnumerateArray().ToList();
        Assert.NotEmpty(items);
        Assert.All(items, i => Assert.Equal("metrics-server", i.GetProperty("usage").GetProperty("source").GetString()));
        Assert.All(items, i => Assert.Equal(2.0, i.GetProperty("usage").GetProperty("window_days").GetDouble()));
        // web requests 250 m and uses about 55 m at p95: over-provisioned, as the simulated cluster was built to show.
        if (items.FirstOrDefault(i => i.GetProperty("workload").GetString() == "web") is { ValueKind: System.Text.Json.JsonValueKind.Object } web)
        {
            Assert.Equal("over_provisioned", web.GetProperty("code").GetString());
        }

        Assert.Contains(items, i => i.GetProperty("code").GetString() == "over_provisioned");
    }
}

public sealed class SqliteUsageRightSizingTests() : UsageRightSizingTests(postgres: false);

public sealed class PostgresUsageRightSizingTests() : UsageRightSizingTests(postgres: true);
