using SpotOptimizer.Optimization.Market;
using SpotOptimizer.Optimization.Packing;
using SpotOptimizer.Optimization.Selection;
using static SpotOptimizer.Optimization.Tests.Packing.ClusterFixture;

namespace SpotOptimizer.Optimization.Tests.Packing;

/// <summary>MOD-PACK-01's packing of pods onto new nodes: constraints, the ceiling, headroom, the baseline, determinism.</summary>
public sealed class FreshPackerTests
{
    private static readonly Resources DaemonSets = new(450, 600, 5);

    /// <summary>A small real-looking catalog slice: general purpose, compute and memory optimized, several sizes.</summary>
    private static List<NodeOffer> CatalogOffers() =>
        [.. from t in new[]
            {
                Catalog.Type("m5.xlarge", 4, 16, allocatableCpuMillicores: 3920, allocatableMemoryMiB: 14162),
                Catalog.Type("m5.4xlarge", 16, 64, allocatableCpuMillicores: 15890, allocatableMemoryMiB: 57632),
                Catalog.Type("c5.4xlarge", 16, 32, allocatableCpuMillicores: 15890, allocatableMemoryMiB: 27532),
                Catalog.Type("r5.2xlarge", 8, 64, allocatableCpuMillicores: 7910, allocatableMemoryMiB: 58476),
            }
            from zone in Zones
            select new NodeOffer(t, zone, PurchaseOption.OnDemand, t.Name switch { "m5.xlarge" => 0.192, "m5.4xlarge" => 0.768, "c5.4xlarge" => 0.68, _ => 0.504 })];

    private static FreshPackingRequest Request(WorkloadMix mix, IReadOnlyList<NodeOffer> offers, PackingPolicy? policy = null, int seed = 1, Resources? daemonSets = null) =>
        new(mix.Pods, mix.Rules, offers, NodeTemplate.Any, policy ?? new PackingPolicy(80), daemonSets ?? DaemonSets, seed);

    private static WorkloadMix Uniform(int count, int cpu, int memoryMiB, WorkloadRules? rule = null) =>
        new([.. Enumerable.Range(0, count).Select(i => Pod("app", i, cpu, memoryMiB))], rule is null ? [] : [rule]);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Pack_GeneratedMix_RespectsAllocatableCeilingAndEveryConstraint(int seed)
    {
        var mix = SyntheticWorkloads.Generate(400, seed);
        var result = FreshPacker.Pack(Request(mix, CatalogOffers(), seed: seed));

        Assert.Empty(result.Unplaced);
        Assert.Equal(mix.Pods.Select(p => p.Name).Order(), result.Nodes.SelectMany(n => n.Pods).Select(p => p.Name).Order());
        var rules = mix.Rules.ToDictionary(r => r.Workload);
        foreach (var node in result.Nodes)
        {
            var allocatable = node.Offer.Allocatable;
            Assert.True(node.Requested.CpuMillicores + DaemonSets.CpuMillicores <= allocatable.CpuMillicores * 0.8, $"{node.Name} CPU over the ceiling");
            Assert.True(node.Requested.MemoryMiB + DaemonSets.MemoryMiB <= allocatable.MemoryMiB * 0.8, $"{node.Name} memory over the ceiling");
            Assert.True(node.Pods.Count + DaemonSets.Pods <= allocatable.Pods, $"{node.Name} over max pods");
            Assert.Equal(node.Requested, node.Pods.Aggregate(new Resources(0, 0, 0), (sum, p) => sum + p.Requests));
            Assert.All(node.Pods.GroupBy(p => p.Workload).Where(g => rules[g.Key].OneReplicaPerNode), g => Assert.Single(g));
        }

        foreach (var rule in mix.Rules.Where(r => r.ZoneMaxSkew is not null))
        {
            var perZone = Zones.Select(z => result.Nodes.Where(n => n.Offer.Zone == z).SelectMany(n => n.Pods).Count(p => p.Workload == rule.Workload)).ToList();
            Assert.True(perZone.Max() - perZone.Min() <= rule.ZoneMaxSkew, $"{rule.Workload} spread {string.Join('/', perZone)}");
        }
    }

    [Fact]
    public void Pack_Aggressiveness_SetsHowFullNodesGet()
    {
        // m5.xlarge, no DaemonSets: 80 % = 3,200m holds six 500m pods (4 nodes for 20); 20 % = 800m holds one (20 nodes).
        var offers = Offers("m5.xlarge");
        var mix = Uniform(20, 500, 512);

        var aggressive = FreshPacker.Pack(Request(mix, offers, new PackingPolicy(80), daemonSets: new Resources(0, 0, 0)));
        var conservative = FreshPacker.Pack(Request(mix, offers, new PackingPolicy(20), daemonSets: new Resources(0, 0, 0)));

        Assert.Equal(4, aggressive.Nodes.Count);
        Assert.Equal(3000, aggressive.Nodes.Max(n => n.Requested.CpuMillicores));
        Assert.Equal(20, conservative.Nodes.Count);
        Assert.All(conservative.Nodes, n => Assert.Equal(500, n.Requested.CpuMillicores));
    }

    [Fact]
    public void Pack_AntiAffinityAndSpread_OneReplicaPerNodeEvenZones()
    {
        var offers = Offers("m5.2xlarge");
        var result = FreshPacker.Pack(Request(Uniform(6, 250, 256, new WorkloadRules("default", "app", OneReplicaPerNode: true, ZoneMaxSkew: 1)), offers));

        Assert.Equal(6, result.Nodes.Count);
        Assert.Equal([2, 2, 2], Zones.Select(z => result.Nodes.Count(n => n.Offer.Zone == z)));
    }

    [Fact]
    public void Pack_Headroom_AddsSpareNodes()
    {
        // 4 × 3,000m fill four m5.xlarge at 80 % (3,200m) with 800m spare; 2,000m of headroom needs one more node.
        var offers = Offers("m5.xlarge");
        var mix = Uniform(4, 3000, 1024);

        Assert.Equal(4, FreshPacker.Pack(Request(mix, offers, new PackingPolicy(80), daemonSets: new Resources(0, 0, 0))).Nodes.Count);
        var kept = FreshPacker.Pack(Request(mix, offers, new PackingPolicy(80, new Headroom(CpuMillicores: 2000)), daemonSets: new Resources(0, 0, 0)));
        Assert.Equal(5, kept.Nodes.Count);
        Assert.Empty(kept.Nodes[^1].Pods);
    }

    [Fact]
    public void Pack_DaemonSetsAboveTheCeiling_ReportsNoFitAndStopsBuyingSpares()
    {
        // 20 % of 4,000m is 800m, and the DaemonSets ask 900m: no node can take a pod or add spare capacity.
        var result = FreshPacker.Pack(Request(Uniform(2, 100, 128), Offers("m5.xlarge"), new PackingPolicy(20, new Headroom(CpuMillicores: 1000)), daemonSets: new Resources(900, 0, 0)));

        Assert.Equal([PackingReasons.NoFit, PackingReasons.NoFit], result.Unplaced.Select(u => u.Code));
        Assert.True(result.Nodes.Count <= 1);
    }

    [Fact]
    public void Pack_PodLargerThanAnyNode_IsReportedUnplaced()
    {
        var result = FreshPacker.Pack(Request(Uniform(1, 64_000, 1024), Offers()));

        Assert.Equal(PackingReasons.NoFit, Assert.Single(result.Unplaced).Code);
        Assert.Empty(result.Nodes);
    }

    [Theory]
    [InlineData(11)]
    [InlineData(12)]
    [InlineData(13)]
    [InlineData(14)]
    public void Pack_BenchmarkGenerator_NeverMoreNodesThanFirstFitDecreasing(int seed)
    {
        var offers = CatalogOffers().Where(o => o.Type.Name == "m5.4xlarge").ToList();
        var request = Request(SyntheticWorkloads.Generate(600, seed), offers, seed: seed);

        var ours = FreshPacker.Pack(request);
        var ffd = FreshPacker.FirstFitDecreasingBaseline(request, "m5.4xlarge");

        Assert.Empty(ours.Unplaced);
        Assert.True(ours.Nodes.Count <= ffd.Nodes.Count, $"ours {ours.Nodes.Count} vs FFD {ffd.Nodes.Count}");
        Assert.True(ours.Nodes.Count >= LowerBound.Nodes(request.Pods, request.Policy.Usable(offers[0].Allocatable, DaemonSets)));
    }

    [Fact]
    public void Pack_SameSeed_SamePacking()
    {
        var mix = SyntheticWorkloads.Generate(300, 7);

        var first = FreshPacker.Pack(Request(mix, CatalogOffers(), seed: 7));
        var second = FreshPacker.Pack(Request(mix, CatalogOffers(), seed: 7));

        Assert.Equal(Describe(first), Describe(second));
        Assert.Equal(Describe(SyntheticWorkloads.Generate(300, 7).Pods), Describe(mix.Pods));
    }

    [Fact]
    public void LowerBound_TakesTheScarcerResource()
    {
        var usable = new Resources(3000, 10_000, 100);

        // CPU: 6,000m / 3,000m = 2 nodes, memory 3,000 MiB needs 1.
        Assert.Equal(2, LowerBound.Nodes([Pod("a", 0, 2000, 1000), Pod("a", 1, 2000, 1000), Pod("a", 2, 2000, 1000)], usable));
        // Memory: 38,000 MiB / 10,000 = 3.8 → 4 nodes, CPU 400m needs 1.
        Assert.Equal(4, LowerBound.Nodes([.. Enumerable.Range(0, 4).Select(i => Pod("b", i, 100, 9500))], usable));
        // Pod slots: 150 pods of 1m / 1 MiB on 100-slot nodes.
        Assert.Equal(2, LowerBound.Nodes([.. Enumerable.Range(0, 150).Select(i => Pod("c", i, 1, 1))], usable));
    }

    private static string Describe(FreshPacking packing) =>
        string.Join(";", packing.Nodes.Select(n => $"{n.Name}:{n.Offer.Type.Name}@{n.Offer.Zone}:{string.Join(',', n.Pods.Select(p => p.Name))}"));

    private static string Describe(IReadOnlyList<PodSpec> pods) => string.Join(";", pods.Select(p => $"{p.Name}:{p.CpuMillicores}:{p.MemoryMiB}"));
}
