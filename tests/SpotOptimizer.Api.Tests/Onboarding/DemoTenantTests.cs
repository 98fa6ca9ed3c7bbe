using Orleans;
using SpotOptimizer.Cloud;
using SpotOptimizer.Cloud.Simulation;
using SpotOptimizer.Grains.Interfaces.Clusters;
using SpotOptimizer.Tenancy;
using SpotOptimizer.Testing;

namespace SpotOptimizer.Api.Tests.Onboarding;

/// <summary>The embedded default's first start: a demo tenant with a discovered account and live clusters.</summary>
public sealed class DemoTenantTests
{
    [Fact]
    public async Task FirstStart_SimulatedCloud_DemoTenantHasGreenManagedClusters()
    {
        await using var app = SpotOptimizerApp.With(new Dictionary<string, string?>
        {
            ["Demo:Enabled"] = "true",
            ["Demo:Password"] = "Demo-Password-2026",
        });
        var demo = await TenantClient.SignInDemoAsync(app, "Demo-Password-2026");

        var clusters = await Eventually.Wait(
            async () => (await demo.GetJsonAsync("/api/client/clusters")).GetProperty("clusters").EnumerateArray().ToList(),
            list => list.Count >= 2 && list.All(c => c.GetProperty("agent_status").GetString() == "green"),
            what: "the demo clusters to be connected and green");

        Assert.All(clusters, c => Assert.True(c.GetProperty("node_count").GetInt32() > 0));
        // The real agent reported, through the platform's HTTP API (the built-in loop it replaced said "demo-agent/1.0").
        var reporting = (await demo.GetJsonAsync("/api/activity/live?limit=200")).GetProperty("events").EnumerateArray()
            .Where(e => e.GetProperty("action").GetString() == "cluster.agent_reporting").ToList();
        Assert.Equal(clusters.Count, reporting.Count);
        Assert.All(reporting, e => Assert.Contains("spotoptimizer-agent/", e.GetProperty("after").GetString(), StringComparison.Ordinal));
        Assert.Equal("/dashboard", (await demo.GetJsonAsync("/api/auth/me")).GetProperty("redirect_path").GetString());
    }

    [Fact]
    public async Task SpotNotice_DemoClustersAgent_ReportsItThroughThePlatformsOwnKubernetesApi()
    {
        await using var app = SpotOptimizerApp.With(new Dictionary<string, string?>
        {
            ["Demo:Enabled"] = "true",
            ["Demo:Password"] = "Demo-Password-2026",
        });
        var demo = await TenantClient.SignInDemoAsync(app, "Demo-Password-2026");
        await Eventually.Wait(
            async () => (await demo.GetJsonAsync("/api/client/clusters")).GetProperty("clusters").EnumerateArray().ToList(),
            list => list.Count >= 2 && list.All(c => c.GetProperty("agent_status").GetString() == "green"),
            what: "the demo clusters to be connected and green");
        var cloud = app.Services.GetRequiredService<SimulatedCloud>();
        var spot = cloud.World.FindAccount(SimulatedWorld.DemoAccountId)!.FindRegion(SimulatedWorld.DemoRegion)!.Instances
            .First(n => n.Instance.Lifecycle == InstanceLifecycle.Spot && n.Instance.ClusterName is not null && n.TerminatedAt is null && n.Instance.State == InstanceState.Running);

        cloud.InterruptSpotInstance(SimulatedWorld.DemoAccountId, SimulatedWorld.DemoRegion, spot.Instance.InstanceId);

        var reported = await Eventually.Wait(
            async () => (await demo.GetJsonAsync("/api/activity/live?limit=200")).GetProperty("events").EnumerateArray()
                .Where(e => e.GetProperty("action").GetString() == "spot.interruption_reported").ToList(),
            list => list.Count > 0, TimeSpan.FromSeconds(15), "the demo agent's interruption report");
        Assert.Equal($"instance:{spot.Instance.InstanceId}", Assert.Single(reported).GetProperty("resource").GetString());
        Assert.Equal("agent", reported[0].GetProperty("actor").GetString());
    }

    [Fact]
    public async Task FirstStart_RealAgents_ReportAnInventoryTheCountsComeFrom()
    {
        await using var app = SpotOptimizerApp.With(new Dictionary<string, string?>
        {
            ["Demo:Enabled"] = "true",
            ["Demo:Password"] = "Demo-Password-2026",
            ["Demo:HeartbeatInterval"] = "00:00:01",
        });
        var demo = await TenantClient.SignInDemoAsync(app, "Demo-Password-2026");
        var organizationId = (await app.Services.GetRequiredService<IdentityStore>().FindByEmailAsync(TenantClient.DemoEmail, CancellationToken.None))!.OrganizationId;
        var grains = app.Services.GetRequiredService<IGrainFactory>();
        var clusters = await Eventually.Wait(
            async () => (await demo.GetJsonAsync("/api/client/clusters")).GetProperty("clusters").EnumerateArray().ToList(),
            list => list.Count >= 2, what: "the demo clusters to be connected");

        var inventories = new List<AgentInventory>();
        foreach (var cluster in clusters)
        {
            var id = cluster.GetProperty("cluster_id").GetString()!;
            var view = await Eventually.Wait(() => grains.GetGrain<IClusterGrain>(id).GetInventory(organizationId), v => v?.Inventory is not null, what: $"{id}'s inventory");
            var inventory = view!.Inventory!;
            inventories.Add(inventory);
            var counted = await demo.GetJsonAsync($"/api/clusters/{id}");
            Assert.Equal(inventory.Nodes.Count, counted.GetProperty("node_count").GetInt32());
            Assert.Equal(inventory.Nodes.Count(n => n.CapacityType == "spot"), counted.GetProperty("spot_node_count").GetInt32());
            Assert.True(inventory.Pods.Count > inventory.Nodes.Count, $"{inventory.Pods.Count} pods on {inventory.Nodes.Count} nodes");
            Assert.All(inventory.Nodes, n => Assert.True(n.Allocatable.CpuMillicores > 1000 && n.Allocatable.MemoryMiB > 2000));
            Assert.All(inventory.Nodes, n => Assert.True(
                inventory.Pods.Where(p => p.Node == n.Name).Sum(p => p.CpuRequestMillicores) + inventory.DaemonSetOverhead.CpuMillicores <= n.Allocatable.CpuMillicores));
            Assert.Contains(inventory.Workloads, w => w.OneReplicaPerNode);
            Assert.Contains(inventory.Workloads, w => w.ZoneMaxSkew is not null && w.PdbMinAvailable is not null);
            // The real agent's usage from the simulated metrics-server, with the window's history the demo starts it with.
            Assert.All(inventory.Workloads, w => Assert.Equal("metrics-server", w.Usage?.Source));
            Assert.All(inventory.Workloads, w => Assert.InRange(w.Usage!.WindowDays, 13, 14));
            Assert.All(inventory.Workloads, w => Assert.True(w.Usage!.CpuP50Millicores <= w.Usage.CpuP95Millicores && w.Usage.CpuP95Millicores <= w.Usage.CpuP99Millicores));
            var sized = (await demo.GetJsonAsync($"/api/clusters/{id}/recommendations")).GetProperty("items").EnumerateArray().ToList();
            // The simulated shop's web and worker request several times what they use.
            Assert.Contains(sized, r => r.GetProperty("code").GetString() == "over_provisioned" && r.GetProperty("usage").GetProperty("source").GetString() == "metrics-server");
            Assert.All(inventory.Workloads, w => Assert.Equal(w.Replicas, inventory.Pods.Count(p => p.Workload == w.Name && p.Namespace == w.Namespace)));
            Assert.True(inventory.DaemonSetOverhead.Pods > 0);
        }

        Assert.Contains(inventories, i => i.Pods.Any(p => p.DoNotDisrupt));
        // The unchanged world reported again: the same inventory, so the version stays.
        var first = grains.GetGrain<IClusterGrain>(clusters[0].GetProperty("cluster_id").GetString()!);
        var before = (await first.GetInventory(organizationId))!;
        var after = await Eventually.Wait(() => first.GetInventory(organizationId), v => v!.ReportedAt > before.ReportedAt, what: "the next report");
        Assert.Equal(before.Version, after!.Version);
    }
}
