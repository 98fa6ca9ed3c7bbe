using SpotOptimizer.Cloud;
using SpotOptimizer.Cloud.Simulation;
using SpotOptimizer.Grains.Interfaces.Clusters;
using SpotOptimizer.Grains.Market;
using SpotOptimizer.Grains.Optimization;
using SpotOptimizer.Optimization.Market;
using SpotOptimizer.Optimization.Packing;
using SpotOptimizer.Optimization.Selection;

namespace SpotOptimizer.Grains.Tests.Optimization;

/// <summary>The agent's inventory as MOD-PACK-01's request: prices, pins with their codes, pods, rules and offers, on fixed inputs.</summary>
public sealed class ConsolidationInputsTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 2, 10, 0, 0, TimeSpan.Zero);
    private static readonly InstanceTypeInfo M5Large = SimulatedMarketFeed.ToTypeInfo(InstanceCatalog.Find("m5.large")!);

    private static readonly MarketSnapshot Market = new("us-east-1", Now,
        [Quote("us-east-1a", 0.031), Quote("us-east-1b", 0.029)], [new OnDemandOffer(M5Large, 0.096)]);

    [Fact]
    public void From_Inventory_PricesPinsAndOffersAsExpected()
    {
        var inventory = new AgentInventory(
            [Node("spot", "i-1", "spot"), Node("od", "i-2", "on_demand"), Node("excluded", "i-3", "on_demand"), Node("bare", "i-4", "on_demand"),
             Node("replaced", "i-5", "on_demand"), Node("gone", "i-9", "on_demand"), Node("pinned", "i-6", "on_demand") with { DoNotDisrupt = true }],
            [
                Pod("web-0", "default", "od", "Deployment") with { ZoneAffinity = "us-east-1a", CapacityTypeAffinity = "on_demand" },
                Pod("agent-0", "payments", "excluded", "Deployment"),
                Pod("debug", "default", "bare", "Pod"),
                Pod("web-1", "default", null, "Deployment"),
            ],
            [new InventoryWorkload("default", "web", "Deployment", 2, OneReplicaPerNode: true, ZoneMaxSkew: 1, PdbMinAvailable: 1)],
            new InventoryResources(100, 256, 2));
        var live = new[] { "i-1", "i-2", "i-3", "i-4", "i-5", "i-6" }
            .Select(id => new Ec2Instance(id, "m5.large", "us-east-1a", id == "i-1" ? InstanceLifecycle.Spot : InstanceLifecycle.OnDemand, InstanceState.Running, Now,
                "", new Dictionary<string, string> { [Ec2Instance.ClusterNameTag] = "shop" }))
            .ToList();

        var mapped = ConsolidationInputs.From(new ConsolidationSources(inventory, live, Market, new HashSet<SpotPoolId> { new("us-east-1b", "m5.large") },
            NodeTemplate.Any, ClusterPolicy.Default with { ExcludedNamespaces = ["payments"], BinpackAggressiveness = 95, Headroom = new HeadroomPolicy(500, 1024, 0.1) },
            new Dictionary<string, DateTimeOffset> { ["i-2"] = Now }, new HashSet<string> { "i-5" }, "shop", 10, new HashSet<string>(), [], Now, TimeSpan.FromMinutes(10)));

        var nodes = mapped.Request.Nodes.ToDictionary(n => n.Name);
        Assert.Equal(["spot", "od", "excluded", "bare", "replaced", "pinned"], mapped.Request.Nodes.Select(n => n.Name));
        Assert.Single(mapped.Notes);
        Assert.Equal((0.031, PurchaseOption.Spot), (nodes["spot"].HourlyPrice, nodes["spot"].Labels.Capacity));
        Assert.Equal((0.096, true, false), (nodes["od"].HourlyPrice, nodes["od"].LaunchedByUs, nodes["spot"].LaunchedByUs));
        Assert.Equal(
            [("spot", null), ("od", null), ("excluded", PackingReasons.ExcludedNamespace), ("bare", PackingReasons.UnmanagedPod),
             ("replaced", PackingReasons.SpotReplacement), ("pinned", PackingReasons.DoNotDisrupt)],
            mapped.Request.Nodes.Select(n => (n.Name, n.Pin?.Code)));
        var web = Assert.Single(nodes["od"].Pods);
        Assert.Equal(("us-east-1a", (PurchaseOption?)PurchaseOption.OnDemand), (web.Requirements!.Zone, web.Requirements.Capacity));
        Assert.DoesNotContain(mapped.Request.Nodes.SelectMany(n => n.Pods), p => p.Name == "web-1");
        var rules = Assert.Single(mapped.Request.Workloads);
        Assert.Equal((true, 1, 1), (rules.OneReplicaPerNode, rules.ZoneMaxSkew, rules.Budget!.MinAvailable));
        Assert.Equal(PackingPolicy.MaxAggressiveness, mapped.Request.Policy.AggressivenessPercent);
        Assert.Equal(new Headroom(500, 1024, 0.1), mapped.Request.Policy.Spare);
        Assert.Equal(new Resources(100, 256, 2), mapped.Request.DaemonSetOverhead);
        Assert.Equal(
            [("us-east-1a", PurchaseOption.Spot, 0.031), ("us-east-1a", PurchaseOption.OnDemand, 0.096), ("us-east-1b", PurchaseOption.OnDemand, 0.096)],
            mapped.Request.Offers.Select(o => (o.Zone, o.Capacity, o.HourlyPrice)));
    }

    /// <summary>
    /// Group "general" (min 2) has four live nodes, one of them replaced by this job: 3 count, so one may go — the
    /// empty g3, the least loaded; g1 and g2 stay. Group "batch" (min 1) has one node: it stays. A covered On-Demand
    /// node and a 5-minute-old one stay; an 11-minute-old one may go.
    /// </summary>
    [Fact]
    public void From_CoveredYoungAndNodegroupNodes_ArePinnedWithTheirCodes()
    {
        var inventory = new AgentInventory(
            [
                Node("covered", "i-1", "on_demand"), Node("young", "i-2", "spot") with { CreatedAt = Now.AddMinutes(-5) },
                Node("settled", "i-3", "spot") with { CreatedAt = Now.AddMinutes(-11) },
                Node("g1", "i-4", "on_demand"), Node("g2", "i-5", "on_demand"), Node("g3", "i-6", "on_demand"), Node("g4", "i-7", "on_demand"),
                Node("b1", "i-8", "on_demand"),
            ],
            [Pod("web-0", "default", "g1", "Deployment"), Pod("web-1", "default", "g2", "Deployment"), Pod("web-2", "default", "g2", "Deployment")],
            [new InventoryWorkload("default", "web", "Deployment", 3)],
            new InventoryResources(100, 256, 2));
        var groups = new Dictionary<string, string> { ["i-4"] = "general", ["i-5"] = "general", ["i-6"] = "general", ["i-7"] = "general", ["i-8"] = "batch" };
        var live = Enumerable.Range(1, 8).Select(n => $"i-{n}")
            .Select(id => new Ec2Instance(id, "m5.large", "us-east-1a", id is "i-2" or "i-3" ? InstanceLifecycle.Spot : InstanceLifecycle.OnDemand, InstanceState.Running, Now,
                "", groups.TryGetValue(id, out var group)
                    ? new Dictionary<string, string> { [Ec2Instance.ClusterNameTag] = "shop", [Ec2Instance.NodegroupNameTag] = group }
                    : new Dictionary<string, string> { [Ec2Instance.ClusterNameTag] = "shop" }))
            .ToList();
        NodegroupSummary[] nodegroups = [new("general", "on_demand", ["m5.large"], 2, 6, 4), new("batch", "on_demand", ["m5.large"], 1, 3, 1)];

        var mapped = ConsolidationInputs.From(new ConsolidationSources(inventory, live, Market, new HashSet<SpotPoolId>(), NodeTemplate.Any, ClusterPolicy.Default,
            new Dictionary<string, DateTimeOffset>(), new HashSet<string> { "i-7" }, "shop", 10, new HashSet<string> { "i-1" }, nodegroups, Now, TimeSpan.FromMinutes(10)));

        Assert.Equal(
            [("covered", PackingReasons.CoveredByCommitment), ("young", PackingReasons.TooYoung), ("settled", null), ("g1", PackingReasons.NodegroupMinSize),
             ("g2", PackingReasons.NodegroupMinSize), ("g3", null), ("g4", PackingReasons.SpotReplacement), ("b1", PackingReasons.NodegroupMinSize)],
            mapped.Request.Nodes.Select(n => (n.Name, n.Pin?.Code)));
        Assert.Contains("at its minimum size (1 of min 1)", mapped.Request.Nodes.Single(n => n.Name == "b1").Pin!.Detail, StringComparison.Ordinal);

        // Planned, the pinned nodes stay (the covered one still takes pods): only the settled empty Spot node and g3 go.
        var plan = Consolidator.Plan(mapped.Request);
        Assert.Equal(["g3", "settled"], plan.Actions.SelectMany(a => a.RemovedNodes).Order(StringComparer.Ordinal));
    }

    private static PoolQuote Quote(string zone, double price) => new(new SpotPoolId(zone, "m5.large"), M5Large, price, 0.096, 1, [price]);

    private static InventoryNode Node(string name, string id, string capacity) =>
        new(name, id, "m5.large", "us-east-1a", capacity, null, null, new InventoryResources(1930, 7518, 29), [], [], Now.AddDays(-1));

    private static InventoryPod Pod(string name, string ns, string? node, string owner) =>
        new(name, ns, "web", owner, node, 250, 512, null, null, 0, false);
}
