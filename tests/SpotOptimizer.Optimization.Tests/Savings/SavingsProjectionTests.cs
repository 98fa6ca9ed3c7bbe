using SpotOptimizer.Optimization.Commitments;
using SpotOptimizer.Optimization.Market;
using SpotOptimizer.Optimization.Packing;
using SpotOptimizer.Optimization.RightSizing;
using SpotOptimizer.Optimization.Savings;
using SpotOptimizer.Optimization.Selection;

namespace SpotOptimizer.Optimization.Tests.Savings;

/// <summary>The 12-month projection on fixed fleets with hand-computed months.</summary>
public sealed class SavingsProjectionTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 15, 12, 0, 0, TimeSpan.Zero);

    private static MarketSnapshot Market()
    {
        var large = Catalog.Type("m5.large", 2, 8);
        var xlarge = Catalog.Type("m5.xlarge", 4, 16);
        return new MarketSnapshot("us-east-1", Now,
        [
            new PoolQuote(new SpotPoolId("us-east-1a", "m5.xlarge"), xlarge, 0.07, 0.192, 1, [0.07]),
            new PoolQuote(new SpotPoolId("us-east-1b", "m5.xlarge"), xlarge, 0.071, 0.192, 1, [0.071]),
            new PoolQuote(new SpotPoolId("us-east-1a", "m5.large"), large, 0.035, 0.096, 1, [0.035]),
        ], [new OnDemandOffer(large, 0.096), new OnDemandOffer(xlarge, 0.192)]);
    }

    private static ProjectedNode Node(string id, PurchaseOption purchase, string zone = "us-east-1a") =>
        new(new FleetNode("c", id, "m5.xlarge", zone, purchase), $"node-{id}", false);

    private static ProjectionRequest Request(
        IReadOnlyList<ProjectedNode> nodes, IReadOnlyList<ProjectedPod> pods, IReadOnlyList<Commitment> commitments, int minOnDemand,
        IReadOnlyList<SizingRecommendation>? rightSizing = null) =>
        new(nodes, pods, [], default,
            [.. nodes.Where(n => n.Node.Purchase == PurchaseOption.OnDemand).Select(n => new OnDemandUsage(n.Node.InstanceId, "m5.xlarge", "us-east-1", n.Node.Zone, 0.192))],
            commitments, Market(), minOnDemand, 60, rightSizing ?? [], Now);

    [Fact]
    public void Project_NoPods_SpotReplacementOnly_CommitmentEndingMidNovemberSplitsThatMonth()
    {
        var nodes = new[] { Node("s", PurchaseOption.Spot), Node("a", PurchaseOption.OnDemand), Node("b", PurchaseOption.OnDemand, "us-east-1b") };
        // Pays for node a (first by id) at 30 % off until 16 November, half of the fifth projected month (July is the first).
        var plan = new Commitment("sp", CommitmentKind.ComputeSavingsPlan, Now.AddDays(-1), new DateTimeOffset(2026, 11, 16, 0, 0, 0, TimeSpan.Zero),
            DiscountPercent: 30, HourlyCommitment: 0.192 * 0.7);

        var projection = SavingsProjection.Project(Request(nodes, [], [plan], minOnDemand: 1));

        Assert.Equal(new DateTimeOffset(2026, 7, 1, 0, 0, 0, TimeSpan.Zero), projection.Months[0].MonthStart);
        Assert.Equal(new DateTimeOffset(2027, 6, 1, 0, 0, 0, TimeSpan.Zero), projection.Months[11].MonthStart);
        // July: s 0.07 + a 0.1344 + b 0.192 = 0.3964 $/h; optimized: a kept (covered), b to its cheapest Spot pool 0.07: 0.2744 $/h.
        Assert.Equal((289.37, 200.31), (projection.Months[0].Unoptimized, projection.Months[0].Optimized));
        // After the plan: 0.07 + 0.192 + 0.192 = 0.454 $/h; optimized: a kept as the On-Demand base, b to Spot: 0.332 $/h.
        Assert.Equal((331.42, 242.36), (projection.Months[11].Unoptimized, projection.Months[11].Optimized));
        // November: half of each.
        Assert.Equal((310.40, 221.34), (projection.Months[4].Unoptimized, projection.Months[4].Optimized));
        Assert.Equal((3, 3, 1, 1), (projection.Plan.NodesBefore, projection.Plan.NodesAfter, projection.Plan.KeptCovered, projection.Plan.SpotReplacements));
        Assert.False(projection.Plan.Packed);
    }

    [Fact]
    public void Project_SmallPodsOnThreeOnDemandNodes_PackedOntoOneSpotNode()
    {
        var nodes = new[] { Node("a", PurchaseOption.OnDemand), Node("b", PurchaseOption.OnDemand), Node("c", PurchaseOption.OnDemand) };
        var pods = nodes.Select((n, i) => new ProjectedPod(new PodSpec($"web-{i}", "shop", "web", 250, 512), n.Name)).ToList();

        var projection = SavingsProjection.Project(Request(nodes, pods, [], minOnDemand: 0));

        // 3 × 0.192 × 730 = 420.48 as they are; the three pods (750m, 1.5 GiB) fit one m5.large under the 60 % ceiling, Spot at 0.035 $/h.
        Assert.Equal(420.48, projection.Months[0].Unoptimized);
        Assert.Equal(25.55, projection.Months[0].Optimized);
        Assert.True(projection.Plan.Packed);
        Assert.Equal((3, 1, 1, 3), (projection.Plan.NodesBefore, projection.Plan.NodesAfter, projection.Plan.PackedNodes, projection.Plan.PodsPacked));
    }

    /// <summary>Three pods of one workload, one per On-Demand m5.xlarge, each requesting what <paramref name="usage"/> is compared with.</summary>
    private static (ProjectedNode[] Nodes, List<ProjectedPod> Pods, IReadOnlyList<SizingRecommendation> Sizing) OneWorkload(int cpu, int memory, UsagePercentiles usage)
    {
        var nodes = new[] { Node("a", PurchaseOption.OnDemand), Node("b", PurchaseOption.OnDemand), Node("c", PurchaseOption.OnDemand) };
        var pods = nodes.Select((n, i) => new ProjectedPod(new PodSpec($"api-{i}", "shop", "api", cpu, memory), n.Name)).ToList();
        var report = RightSizer.Recommend([new WorkloadSizing("shop", "api", "Deployment", 3, [.. pods.Select(_ => new PodResources(cpu, memory))], usage)], null, SizingPolicy.Default);
        return (nodes, pods, report.Items);
    }

    [Fact]
    public void Project_OverProvisionedWorkloadShrinks_PacksOntoFewerNodes()
    {
        // CPU p95 300 m, memory p99 1,200 MiB over 14 days: 300 × 1.15 = 345 m and 1,200 × 1.15 = 1,380 MiB per pod.
        var (nodes, pods, sizing) = OneWorkload(2000, 4096, new UsagePercentiles(14, 200, 300, 350, 900, 1100, 1200));

        var asReported = SavingsProjection.Project(Request(nodes, pods, [], minOnDemand: 0));
        var rightSized = SavingsProjection.Project(Request(nodes, pods, [], minOnDemand: 0, sizing));

        // As reported, 2,000 m pods fit one per m5.xlarge under the 60 % ceiling (2,400 m) and none on an m5.large (1,200 m):
        // packing needs three m5.xlarge at 0.07 $/h, no cheaper than moving each node to Spot: 3 × 0.07 × 730 = 153.30.
        Assert.Equal((420.48, 153.30), (asReported.Months[0].Unoptimized, asReported.Months[0].Optimized));
        Assert.Equal(3, asReported.Plan.NodesAfter);
        Assert.Equal(new RightSizingOutcome(0, 0, 0, 0, 0, 0), asReported.RightSizing);
        // Right-sized, 3 × 345 = 1,035 m ≤ 1,200 m and 3 × 1,380 = 4,140 MiB ≤ 4,915 MiB: one Spot m5.large, 0.035 × 730 = 25.55.
        Assert.Equal((420.48, 25.55), (rightSized.Months[0].Unoptimized, rightSized.Months[0].Optimized));
        Assert.Equal(25.55, rightSized.Months[11].Optimized);
        Assert.Equal((3, 1, true), (rightSized.Plan.NodesBefore, rightSized.Plan.NodesAfter, rightSized.Plan.Packed));
        // 3 × (2,000 − 345) m, 3 × (4,096 − 1,380) MiB; 153.30 − 25.55 a month.
        Assert.Equal(new RightSizingOutcome(1, 0, 3, 4965, 8148, 127.75), rightSized.RightSizing);
        Assert.Equal(1, rightSized.RightSizing.WorkloadsResized);
    }

    [Fact]
    public void Project_UnderProvisionedWorkloadGrows_OptimizedSeriesPaysForIt()
    {
        // CPU p95 900 m, memory p99 1,800 MiB: 1,035 m and 2,072 MiB per pod, up from 250 m and 512 MiB.
        var (nodes, pods, sizing) = OneWorkload(250, 512, new UsagePercentiles(14, 500, 900, 950, 1500, 1700, 1800));

        var rightSized = SavingsProjection.Project(Request(nodes, pods, [], minOnDemand: 0, sizing));

        // As reported the three pods share one Spot m5.large (25.55, the packing test above). At 1,035 m one pod fills an m5.large
        // (1,200 m) and two an m5.xlarge (2,400 m): 0.035 $/h per pod either way, 3 × 0.035 × 730 = 76.65; still below Spot replacement (153.30).
        Assert.Equal(76.65, rightSized.Months[0].Optimized);
        Assert.Equal(new RightSizingOutcome(0, 1, 3, 3 * (250 - 1035), 3 * (512 - 2072), -51.10), rightSized.RightSizing);
    }

    [Fact]
    public void HeadroomCost_ShareOfRequestsBeatsTheAbsoluteCpu_AbsoluteMemoryBeatsTheShare()
    {
        // 10 % of 30,000 m = 3,000 m > 2,000 m; 10 % of 30,000 MiB = 3,000 MiB < 4,096 MiB.
        var cost = HeadroomCost.Monthly(new Headroom(2000, 4096, 0.10), 30_000, 30_000, new ResourcePrices(0.04, 0.004));

        // (3 vCPU × 0.04 + 4 GiB × 0.004) × 730 = 0.136 × 730 = 99.28.
        Assert.Equal((3000L, 4096L), (cost.CpuMillicores, cost.MemoryMiB));
        Assert.Equal(99.28, cost.MonthlyCost, 9);
        Assert.Equal(0, HeadroomCost.Monthly(Headroom.None, 30_000, 30_000, new ResourcePrices(0.04, 0.004)).MonthlyCost);
    }
}
