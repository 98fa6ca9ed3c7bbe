using SpotOptimizer.Optimization.Packing;
using SpotOptimizer.Optimization.Selection;
using static SpotOptimizer.Optimization.Tests.Packing.ClusterFixture;

namespace SpotOptimizer.Optimization.Tests.Packing;

/// <summary>
/// Headroom kept: the deficit on fixed nodes, and the cheapest safe launch covering it, worked out by hand. m5.large
/// gives pods 2,000m − 100m = 1,900m and 8,192 − 256 = 7,936 MiB after the DaemonSets; m5.xlarge 3,900m and 16,128 MiB.
/// </summary>
public sealed class HeadroomTopUpTests
{
    private static readonly Resources DaemonSets = new(100, 256, 0);
    private static readonly HeadroomTopUpPolicy Balanced = new(0.35, AllowOnDemandFallback: true, NodeTemplate.Any, DaemonSets);

    private static readonly HeadroomOffer[] Offers =
    [
        Spot("m5.large", ZoneA, 0.030, 0.10),
        Spot("m5.large", ZoneB, 0.025, 0.50), // cheaper, but riskier than the policy's 0.35
        Spot("m5.large", ZoneC, 0.020, 0.05, flagged: true), // cheapest, but the hive mind flagged it
        Spot("m5.xlarge", ZoneA, 0.050, 0.05),
        new(OnDemand("m5.large", ZoneA, 0.096), 0),
        new(OnDemand("m5.xlarge", ZoneA, 0.192), 0),
    ];

    [Fact]
    public void Measure_CountsSchedulableNodesSpare_AndTheLargerRequirement()
    {
        // Spare: only the xlarge (the cordoned large is out): 4,000 − 100 − 3,000 = 900m, 16,384 − 256 − 8,000 = 8,128 MiB.
        // Required: CPU max(1,000, 50 % of 3,000) = 1,500m; memory max(2,048, 50 % of 8,000) = 4,000 MiB.
        CapacityNode[] nodes =
        [
            new(new Resources(4000, 16384, 29), new Capacity(3000, 8000), Schedulable: true),
            new(new Resources(2000, 8192, 29), new Capacity(0, 0), Schedulable: false),
        ];

        var (required, spare) = HeadroomTopUp.Measure(nodes, new Headroom(1000, 2048, 0.5), DaemonSets);

        Assert.Equal((new Capacity(1500, 4000), new Capacity(900, 8128)), (required, spare));
        var plan = HeadroomTopUp.Plan(required, spare, Offers, Balanced);
        Assert.Equal(new Capacity(600, 0), plan.Deficit);
        Assert.Equal(("m5.large", ZoneA, PurchaseOption.Spot, 1), (plan.Offer!.Type.Name, plan.Offer.Zone, plan.Offer.Capacity, plan.Count));
        Assert.Equal((0.03, 0.10, (string?)null), (plan.HourlyCost, plan.Risk, plan.Code));
    }

    [Fact]
    public void Plan_NothingShort_LaunchesNothing()
    {
        var plan = HeadroomTopUp.Plan(new Capacity(1000, 1000), new Capacity(1000, 5000), Offers, Balanced);

        Assert.Equal((null, 0, null, new Capacity(0, 0)), (plan.Offer, plan.Count, plan.Code, plan.Deficit));
    }

    [Theory]
    // 3,000m: 2 × m5.large ($0.060) or 1 × m5.xlarge ($0.050): the cheaper total wins.
    [InlineData(3000, 1000, "m5.xlarge", 1, 0.050)]
    // 20,000 MiB: 3 × m5.large ($0.090) or 2 × m5.xlarge ($0.100).
    [InlineData(100, 20000, "m5.large", 3, 0.090)]
    // 3,800m: 2 × m5.large ($0.060) or 1 × m5.xlarge ($0.050).
    [InlineData(3800, 0, "m5.xlarge", 1, 0.050)]
    // 4,000m: 3 × m5.large ($0.090) or 2 × m5.xlarge ($0.100).
    [InlineData(4000, 0, "m5.large", 3, 0.090)]
    public void Plan_Deficit_CheapestSafeSpotLaunchCoveringBothResources(long cpu, long memory, string type, int count, double cost)
    {
        var plan = HeadroomTopUp.Plan(new Capacity(cpu, memory), new Capacity(0, 0), Offers, Balanced);

        Assert.Equal((type, ZoneA, PurchaseOption.Spot, count), (plan.Offer!.Type.Name, plan.Offer.Zone, plan.Offer.Capacity, plan.Count));
        Assert.Equal(cost, plan.HourlyCost, 6);
    }

    [Fact]
    public void Plan_NoSafeSpotPool_FallsBackToOnDemandOnlyIfThePolicyAllows()
    {
        HeadroomOffer[] risky = [.. Offers.Where(o => o.Offer.Capacity == PurchaseOption.OnDemand || o.InterruptionProbability > 0.35 || o.Flagged)];

        var fallback = HeadroomTopUp.Plan(new Capacity(1000, 0), new Capacity(0, 0), risky, Balanced);
        var refused = HeadroomTopUp.Plan(new Capacity(1000, 0), new Capacity(0, 0), risky, Balanced with { AllowOnDemandFallback = false });

        Assert.Equal(("m5.large", PurchaseOption.OnDemand, 1, (string?)null), (fallback.Offer!.Type.Name, fallback.Offer.Capacity, fallback.Count, fallback.Code));
        Assert.Equal((null, 0, HeadroomTopUp.NoSafePool), (refused.Offer, refused.Count, refused.Code));
        // A template without m5 leaves nothing to launch at all.
        Assert.Equal(HeadroomTopUp.NoOffer, HeadroomTopUp.Plan(new Capacity(1000, 0), new Capacity(0, 0), Offers, Balanced with { Template = new NodeTemplate(["c5"]) }).Code);
    }

    [Fact]
    public void Consolidator_EmptyHeadroomNodeWeLaunched_IsKeptWhileItsSpareIsNeeded()
    {
        // Under the 80 % ceiling: n1 (m5.xlarge) has 3,200 − 3,000 = 200m spare, the empty m5.large 1,600m. Without it 200m < 1,000m.
        IReadOnlyList<ExistingNode> nodes = [Node("n1", ZoneA, pods: [Pod("web", 0, cpu: 3000)]), Node("spare", ZoneA, "m5.large")];

        var kept = Plan(nodes, policy: new PackingPolicy(80, new Headroom(CpuMillicores: 1000)));
        var deleted = Plan(nodes, policy: new PackingPolicy(80));

        Assert.Empty(kept.Actions);
        Assert.Contains(kept.Skipped, s => s is { Node: "spare", Code: PackingReasons.Headroom });
        Assert.Equal([(ConsolidationKind.DeleteEmpty, "spare")], deleted.Actions.Select(a => (a.Kind, Assert.Single(a.RemovedNodes))));
    }

    private static HeadroomOffer Spot(string type, string zone, double price, double risk, bool flagged = false)
    {
        var (_, vcpu, memory, _) = Types.Single(t => t.Name == type);
        return new(new NodeOffer(Catalog.Type(type, vcpu, memory), zone, PurchaseOption.Spot, price), risk, flagged);
    }

    private static NodeOffer OnDemand(string type, string zone, double price)
    {
        var (_, vcpu, memory, _) = Types.Single(t => t.Name == type);
        return new NodeOffer(Catalog.Type(type, vcpu, memory), zone, PurchaseOption.OnDemand, price);
    }
}
