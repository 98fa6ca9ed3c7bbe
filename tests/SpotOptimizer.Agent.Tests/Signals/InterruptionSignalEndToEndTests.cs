using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SpotOptimizer.Agent.Reporting;
using SpotOptimizer.Agent.Signals;
using SpotOptimizer.Api.Tests;
using SpotOptimizer.Api.Tests.Onboarding;
using SpotOptimizer.Cloud;
using SpotOptimizer.Cloud.Simulation;
using SpotOptimizer.SimulatedKubernetes;
using SpotOptimizer.Testing;

namespace SpotOptimizer.Agent.Tests.Signals;

/// <summary>
/// The simulated cloud warns a Spot instance → the simulated cluster's node carries NTH's taint → the real agent's node
/// watch sees it → the real platform flags the pool and records <c>spot.interruption_reported</c>, once, within seconds.
/// </summary>
public abstract class InterruptionSignalEndToEndTests(bool postgres)
{
    private const int Seed = 12;
    private const string AwsAccount = "310987654322";

    [SkippableFact]
    public async Task SimulatedNotices_AgentReportsEachOnce_PlatformFlagsThePool()
    {
        await using var app = await SpotOptimizerApp.CreateAsync(postgres);
        var tenant = await TenantClient.SignUpAsync(app, $"signals-{Guid.NewGuid():N}@example.com");
        var (clusterId, token, _) = await Journey.ConnectFirstClusterAsync(tenant, await Journey.LinkAccountAsync(tenant, AwsAccount));
        var cluster = await tenant.GetJsonAsync($"/api/clusters/{clusterId}");
        var (name, region) = (cluster.GetProperty("name").GetString()!, cluster.GetProperty("region").GetString()!);
        var cloud = app.Services.GetRequiredService<SimulatedCloud>();
        var time = app.Services.GetRequiredService<TimeProvider>();
        SimulatedRegion World() => cloud.World.FindAccount(AwsAccount)!.FindRegion(region)!;
        var deleted = new HashSet<string>(StringComparer.Ordinal);
        KubernetesObjects Cluster()
        {
            var objects = TerminationHandler.ClusterAt(World(), name, Seed, time.GetUtcNow());
            lock (deleted) objects.Nodes.Items = [.. objects.Nodes.Items.Where(n => !deleted.Contains(n.Metadata.Name))];
            return objects;
        }

        await using var kubernetes = await SimulatedClusterHost.StartAsync(Cluster);
        using var client = kubernetes.Client();
        var options = Options.Create(new AgentOptions { Token = token });
        using var inventory = new InventoryReporter(new ClusterReader(client), new PlatformClient(app.CreateClient(), token), options, time, NullLogger<InventoryReporter>.Instance);
        await inventory.ReportOnceAsync(CancellationToken.None);
        var nodes = Cluster().Nodes.Items;
        var spot = nodes.Where(n => n.Metadata.Labels["eks.amazonaws.com/capacityType"] == "SPOT").Select(n => (Node: n.Metadata.Name, Id: Id(n.Spec.ProviderID))).ToList();
        Assert.True(spot.Count >= 2, $"the simulated cluster has {spot.Count} Spot nodes");
        var quiet = nodes.Select(n => (Node: n.Metadata.Name, Id: Id(n.Spec.ProviderID))).First(n => !spot.Take(2).Contains(n));

        using var watcher = new NodeWatcher(client, new InterruptionReporter(new PlatformClients(app), options, time, NullLogger<InterruptionReporter>.Instance),
            options, time, NullLogger<NodeWatcher>.Instance);
        await watcher.StartAsync(CancellationToken.None);
        try
        {
            var interruption = cloud.InterruptSpotInstance(AwsAccount, region, spot[0].Id);
            var rebalance = cloud.InterruptSpotInstance(AwsAccount, region, spot[1].Id, InterruptionKind.RebalanceRecommendation);
            lock (deleted) deleted.Add(quiet.Node);

            var reports = await Eventually.Wait(() => Reported(tenant), r => r.Count >= 2, TimeSpan.FromSeconds(10), "both signals to reach the ledger");
            // Seconds more of watching (the simulated API polls every 500 ms): nothing is reported twice, the quiet deletion not at all.
            await Task.Delay(TimeSpan.FromSeconds(2));
            reports = await Reported(tenant);

            Assert.Equal(
                [($"instance:{spot[0].Id}", "interruption"), ($"instance:{spot[1].Id}", "rebalance_recommendation")],
                reports.Select(r => (r.Resource, r.Details.GetProperty("kind").GetString())).Order());
            var flagged = reports.Single(r => r.Resource == $"instance:{spot[0].Id}").Details;
            Assert.Equal(interruption.NoticeTime.ToUnixTimeSeconds(), flagged.GetProperty("notice_time").GetDateTimeOffset().ToUnixTimeSeconds());
            Assert.Equal($"{region}/{interruption.AvailabilityZone}/{interruption.InstanceType}", flagged.GetProperty("pool").GetString());
            Assert.True(flagged.GetProperty("flagged_until").GetDateTimeOffset() > time.GetUtcNow());
            Assert.Equal(rebalance.NoticeTime.ToUnixTimeSeconds(),
                reports.Single(r => r.Resource == $"instance:{spot[1].Id}").Details.GetProperty("notice_time").GetDateTimeOffset().ToUnixTimeSeconds());
        }
        finally
        {
            await watcher.StopAsync(CancellationToken.None);
        }
    }

    private static async Task<List<(string Resource, JsonElement Details)>> Reported(TenantClient tenant) =>
        [.. (await tenant.GetJsonAsync("/api/activity/live?limit=500")).GetProperty("events").EnumerateArray()
            .Where(e => e.GetProperty("action").GetString() == "spot.interruption_reported")
            .Select(e => (e.GetProperty("resource").GetString()!, JsonDocument.Parse(e.GetProperty("after").GetString()!).RootElement))];

    private static string Id(string providerId) => providerId[(providerId.LastIndexOf('/') + 1)..];

    /// <summary>The platform's in-process test server, as the named client the agent's reporters use.</summary>
    private sealed class PlatformClients(SpotOptimizerApp app) : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => app.CreateClient();
    }
}

public sealed class SqliteInterruptionSignalEndToEndTests() : InterruptionSignalEndToEndTests(postgres: false);

public sealed class PostgresInterruptionSignalEndToEndTests() : InterruptionSignalEndToEndTests(postgres: true);
