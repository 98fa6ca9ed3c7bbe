using SpotOptimizer.Optimization.Commitments;
using SpotOptimizer.Optimization.Market;
using SpotOptimizer.Optimization.Packing;
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

    private static ProjectionRequest Request(IReadOnlyList<ProjectedNode> nodes, IReadOnlyList<ProjectedPod> pods, IReadOnlyList<Commitment> commitments, int minOnDemand) =>
        new(nodes, pods, [], default,
            [.. nodes.Where(n => n.Node.Purchase == PurchaseOption.OnDemand).Select(n => new OnDemandUsage(n.Node.InstanceId, "m5.xlarge", "us-east-1", n.Node.Zone, 0.192))],
            commitments, Market(), minOnDemand, 60, 1, Now);

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
}
