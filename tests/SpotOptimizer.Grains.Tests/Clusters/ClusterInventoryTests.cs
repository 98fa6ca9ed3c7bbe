using Microsoft.Extensions.DependencyInjection;
using Orleans;
using SpotOptimizer.Cloud;
using SpotOptimizer.Grains;
using SpotOptimizer.Grains.Interfaces.Clusters;
using SpotOptimizer.Testing;

namespace SpotOptimizer.Grains.Tests.Clusters;

/// <summary>
/// The agent's inventory in the cluster grain: its version moves only when the content changes, it outlives a silo
/// restart (version, content and when it was reported), and once it exists the cluster's counts, nodes and known Spot
/// nodes come from it rather than from discovery.
/// </summary>
public abstract class ClusterInventoryTests(StorageKind storage) : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 4, 1, 9, 0, 0, TimeSpan.Zero);
    private readonly ManualTimeProvider _clock = new(Start);
    private readonly StorageKind _storage = storage;
    private SpotOptimizer.Silo.Storage.SiloStorage _database = null!;

    public async Task InitializeAsync() => _database = await _storage.CreateAsync();

    public async Task DisposeAsync() => await _storage.DisposeAsync();

    private Task<TestSilo> StartAsync() =>
        TestSilo.StartAsync(_database, _clock, services => services.AddSimulatedCloud(7).AddGrainServices().AddSimulatedMarketFeed());

    [SkippableFact]
    public async Task ReportInventory_SameContentTwice_VersionMovesOnlyOnChange()
    {
        await using var silo = await StartAsync();
        var (organizationId, grain, token) = await ConnectAsync(silo);

        var first = await grain.ReportInventory(Report(token, Inventory("i-0aaaaaaaaaaaaaaa1")));
        _clock.Advance(TimeSpan.FromSeconds(30));
        var same = await grain.ReportInventory(Report(token, Inventory("i-0aaaaaaaaaaaaaaa1")));
        var changed = await grain.ReportInventory(Report(token, Inventory("i-0aaaaaaaaaaaaaaa2")));
        var stranger = await grain.ReportInventory(Report(AgentTokens.Format(grain.GetPrimaryKeyString(), new byte[32]), Inventory("i-0aaaaaaaaaaaaaaa3")));

        Assert.Equal((1, 1, 2), (first!.InventoryVersion, same!.InventoryVersion, changed!.InventoryVersion));
        Assert.Null(stranger);
        var view = await grain.GetInventory(organizationId);
        Assert.Equal((2, Start.AddSeconds(30)), (view!.Version, view.ReportedAt));
        Assert.Equal("i-0aaaaaaaaaaaaaaa2", view.Inventory!.Nodes[1].InstanceId);
        Assert.Null(await grain.GetInventory("another-organization"));
    }

    [SkippableFact]
    public async Task Inventory_SiloRestarts_RestoredWithVersionAndReportedAt()
    {
        string organizationId, clusterId;
        await using (var first = await StartAsync())
        {
            var (org, grain, token) = await ConnectAsync(first);
            (organizationId, clusterId) = (org, grain.GetPrimaryKeyString());
            await grain.ReportInventory(Report(token, Inventory("i-0aaaaaaaaaaaaaaa1")));
            await grain.ReportInventory(Report(token, Inventory("i-0aaaaaaaaaaaaaaa2")));
            await first.StopAsync();
        }

        _clock.Advance(TimeSpan.FromMinutes(10));
        await using var second = await StartAsync();
        var restored = second.Grains.GetGrain<IClusterGrain>(clusterId);

        var view = await restored.GetInventory(organizationId);
        Assert.Equal((2, Start), (view!.Version, view.ReportedAt));
        Assert.Equal(Inventory("i-0aaaaaaaaaaaaaaa2").Nodes.Select(n => n.InstanceId), view.Inventory!.Nodes.Select(n => n.InstanceId));
        var cluster = await restored.Get(organizationId);
        Assert.Equal((2, 1), (cluster!.NodeCount, cluster.SpotNodeCount));
        Assert.Equal(["i-0aaaaaaaaaaaaaaa0", "i-0aaaaaaaaaaaaaaa2"], (await restored.GetNodes(organizationId))!.Select(n => n.InstanceId));
    }

    [SkippableFact]
    public async Task Unmanage_AfterReports_InventoryForgottenAndDiscoveryCountsAgain()
    {
        await using var silo = await StartAsync();
        var (organizationId, grain, token) = await ConnectAsync(silo);
        var discovered = (await grain.Get(organizationId))!.NodeCount;
        await grain.ReportInventory(Report(token, Inventory("i-0aaaaaaaaaaaaaaa1")));
        Assert.Equal(2, (await grain.Get(organizationId))!.NodeCount);

        await grain.Unmanage(organizationId, "user:test");

        var view = await grain.GetInventory(organizationId);
        Assert.Equal((2, null), (view!.Version, view.Inventory));
        Assert.Equal(discovered, (await grain.Get(organizationId))!.NodeCount);
        Assert.NotEqual(2, discovered);
    }

    [SkippableFact]
    public async Task ReportInterruption_SpotNodeOnlyTheAgentKnows_Accepted()
    {
        await using var silo = await StartAsync();
        var (organizationId, grain, token) = await ConnectAsync(silo);
        var hash = AgentTokens.HashOf(token);
        var before = await grain.ReportInterruption(new AgentInterruption(hash, "i-0aaaaaaaaaaaaaaa1", "interruption", Start));

        await grain.ReportInventory(Report(token, Inventory("i-0aaaaaaaaaaaaaaa1")));
        var after = await grain.ReportInterruption(new AgentInterruption(hash, "i-0aaaaaaaaaaaaaaa1", "interruption", Start));
        var onDemand = await grain.ReportInterruption(new AgentInterruption(hash, "i-0aaaaaaaaaaaaaaa0", "interruption", Start));

        Assert.Equal("unknown_instance", before!.Error);
        // The pool is the node's own (from the inventory); one tenant's claim flags it for that tenant's decisions only.
        Assert.Equal((null, "us-east-1/us-east-1b/c5.xlarge", FlagScopes.Reporter, "own_report"), (after!.Error, after.Pool, after.FlaggedFor, after.FlagReason));
        Assert.Equal(Start + TimeSpan.FromMinutes(30), after.FlaggedUntil);
        Assert.Equal("unknown_instance", onDemand!.Error);
        var refusals = (await silo.Services.GetRequiredService<SpotOptimizer.Tenancy.AuditQueries>().ListRecentAsync(organizationId, 100, default))
            .Where(e => e.Action == "spot.interruption_refused").ToList();
        Assert.Equal(["instance:i-0aaaaaaaaaaaaaaa0", "instance:i-0aaaaaaaaaaaaaaa1"], refusals.Select(e => e.Resource).Order());
        Assert.All(refusals, e => Assert.Contains("\"reason\":\"unknown_instance\"", e.After, StringComparison.Ordinal));
    }

    private static async Task<(string OrganizationId, IClusterGrain Grain, string Token)> ConnectAsync(TestSilo silo)
    {
        var demo = await DemoCluster.LinkAsync(silo, connect: false);
        var grain = silo.Grains.GetGrain<IClusterGrain>(demo.Cluster.ClusterId);
        var issued = await grain.Connect(demo.OrganizationId, "user:test");
        return (demo.OrganizationId, grain, issued!.Token);
    }

    private static AgentInventoryReport Report(string token, AgentInventory inventory) => new(AgentTokens.HashOf(token), "test/1", inventory);

    /// <summary>An On-Demand node the discovery knows nothing of either, and a Spot node with the given instance id.</summary>
    private static AgentInventory Inventory(string spotInstanceId)
    {
        InventoryNode Node(string name, string id, string type, string zone, string capacity) =>
            new(name, id, type, zone, capacity, "general", null, new InventoryResources(3920, 14_000, 58), [], [], Start.AddDays(-3));
        return new AgentInventory(
            [Node("ip-10-0-1-10.ec2.internal", "i-0aaaaaaaaaaaaaaa0", "m5.xlarge", "us-east-1a", "on_demand"),
             Node("ip-10-0-2-20.ec2.internal", spotInstanceId, "c5.xlarge", "us-east-1b", "spot")],
            [new InventoryPod("web-1", "shop", "web", "Deployment", "ip-10-0-1-10.ec2.internal", 500, 512, 1000, 1024, 0, false)],
            [new InventoryWorkload("shop", "web", "Deployment", 1, PdbMinAvailable: 1)],
            new InventoryResources(150, 200, 2));
    }
}

public sealed class SqliteClusterInventoryTests() : ClusterInventoryTests(new StorageKind.Sqlite());

public sealed class PostgresClusterInventoryTests() : ClusterInventoryTests(new StorageKind.Postgres());
