using SpotOptimizer.Optimization.Market;
using SpotOptimizer.Optimization.Selection;

namespace SpotOptimizer.Optimization.Tests.Selection;

public sealed class SpotSelectorTests
{
    private static readonly HashSet<SpotPoolId> NoFlags = [];

    // One unit = 2 vCPU / 4 GiB: a *.xlarge of these families holds 2 units, a *.large one.
    private static WorkloadRequirements Workload(int count = 8, IReadOnlyList<string>? families = null, IReadOnlyList<string>? zones = null) =>
        new(count, 2, 4, CpuArchitecture.Amd64, families ?? ["m5", "c5"], zones);

    private static PoolCandidate Pool(string zone, string type, double price, double risk = 0.05, int vcpu = 4, int memory = 16, CpuArchitecture arch = CpuArchitecture.Amd64) =>
        new(new SpotPoolId(zone, type), Catalog.Type(type, vcpu, memory, arch), price, risk);

    private static readonly OnDemandOffer[] OnDemand =
    [
        new(Catalog.Type("m5.xlarge", 4, 16), 0.192),
        new(Catalog.Type("c5.xlarge", 4, 8), 0.17),
        new(Catalog.Type("r5.xlarge", 4, 32), 0.252),
    ];

    private static PoolCandidate[] Market() =>
    [
        Pool("az-a", "m5.xlarge", 0.070),
        Pool("az-b", "m5.xlarge", 0.072),
        Pool("az-c", "m5.xlarge", 0.074),
        Pool("az-a", "c5.xlarge", 0.068, memory: 8),
        Pool("az-b", "c5.xlarge", 0.069, memory: 8),
        Pool("az-c", "c5.xlarge", 0.071, memory: 8),
    ];

    private static SpotSelection Select(WorkloadRequirements workload, IReadOnlyList<PoolCandidate> market, SelectionPolicy? policy = null, IReadOnlySet<SpotPoolId>? flags = null) =>
        SpotSelector.Select(workload, market, OnDemand, flags ?? NoFlags, policy ?? SelectionPolicy.Default);

    [Fact]
    public void Select_FlaggedPool_DroppedWithReasonAndNeverChosen()
    {
        var flagged = new SpotPoolId("az-a", "c5.xlarge");

        var selection = Select(Workload(), Market(), flags: new HashSet<SpotPoolId> { flagged });

        Assert.Contains(new PoolRejection(flagged, RejectReason.RiskFlagged), selection.Rejections);
        Assert.DoesNotContain(selection.Allocations, a => a.Pool == flagged);
        Assert.DoesNotContain(selection.Ranking, r => r.Pool == flagged);
        Assert.Equal(SelectionOutcome.Satisfied, selection.Outcome);
    }

    [Fact]
    public void Select_ArchitectureFamilyAndSizeFilters_RejectWithReasons()
    {
        PoolCandidate[] market =
        [
            .. Market(),
            Pool("az-a", "m6g.xlarge", 0.01, arch: CpuArchitecture.Arm64),
            Pool("az-a", "r5.xlarge", 0.01, memory: 32),
            Pool("az-a", "m5.medium", 0.005, vcpu: 1, memory: 4),
        ];

        var selection = Select(Workload(families: ["m5", "c5", "m6g"]), market);

        Assert.Contains(new PoolRejection(new SpotPoolId("az-a", "m6g.xlarge"), RejectReason.ArchitectureMismatch), selection.Rejections);
        Assert.Contains(new PoolRejection(new SpotPoolId("az-a", "r5.xlarge"), RejectReason.FamilyNotAllowed), selection.Rejections);
        Assert.Contains(new PoolRejection(new SpotPoolId("az-a", "m5.medium"), RejectReason.TooSmall), selection.Rejections);
        Assert.All(selection.Allocations, a => Assert.True(a.Pool.InstanceType is "m5.xlarge" or "c5.xlarge", a.Pool.ToString()));
    }

    [Fact]
    public void UnitsPerNode_AllocatableCpuAndMemory_BothBound()
    {
        var workload = new WorkloadRequirements(1, 2, 4, CpuArchitecture.Amd64, ["c5"]);

        Assert.Equal(2, workload.UnitsPerNode(Catalog.Type("c5.xlarge", 4, 8)));
        Assert.Equal(1, workload.UnitsPerNode(Catalog.Type("c5.xlarge", 4, 6)));
        Assert.Equal(0, workload.UnitsPerNode(Catalog.Type("c5.large", 1, 8)));
        // Karpenter's c5.xlarge: 3920m and 6.4 GiB allocatable: kubelet's reservation costs a 2 vCPU / 4 GiB pod.
        Assert.Equal(1, workload.UnitsPerNode(Catalog.Type("c5.xlarge", 4, 8, allocatableCpuMillicores: 3920, allocatableMemoryMiB: 6587)));
    }

    [Theory]
    [InlineData(0.25, 20)]
    [InlineData(0.5, 20)]
    [InlineData(0.34, 9)]
    public void Select_SpreadCap_NoPoolHoldsMoreThanItsShare(double share, int units)
    {
        var selection = Select(Workload(units), Market(), new SelectionPolicy(MaxPoolShare: share));

        var cap = Math.Ceiling(share * units);
        Assert.All(selection.Allocations.Where(a => a.Purchase == PurchaseOption.Spot), a => Assert.True(a.Units <= cap, $"{a.Pool} holds {a.Units} > {cap}"));
        Assert.True(selection.UnitsPlaced >= units);
        Assert.True(selection.Allocations.Count >= Math.Ceiling(1 / share));
    }

    [Fact]
    public void Select_PlacedUnits_CountTowardsThePoolCap()
    {
        var full = new SpotPoolId("az-a", "c5.xlarge");
        var placed = new Dictionary<SpotPoolId, int> { [full] = 4 };

        var selection = SpotSelector.Select(Workload(8), Market(), OnDemand, NoFlags, new SelectionPolicy(MaxPoolShare: 1.0 / 3), placed);

        Assert.DoesNotContain(selection.Allocations, a => a.Pool == full);
        Assert.True(selection.UnitsPlaced >= 8);
    }

    [Fact]
    public void Select_PreferredZoneFlagged_FallsBackToSameTypeInOtherZone()
    {
        var market = new[] { Pool("az-a", "c5.xlarge", 0.068, memory: 8), Pool("az-b", "c5.xlarge", 0.069, memory: 8), Pool("az-a", "m5.xlarge", 0.07) };
        var flags = new HashSet<SpotPoolId> { new("az-a", "c5.xlarge") };

        var selection = Select(Workload(2, ["c5"], ["az-a"]), market, new SelectionPolicy(MaxPoolShare: 1, FallbackFamilies: ["m5"]), flags);

        var allocation = Assert.Single(selection.Allocations);
        Assert.Equal((new SpotPoolId("az-b", "c5.xlarge"), SelectionTier.OtherZone), (allocation.Pool, allocation.Tier));
        Assert.Equal(SelectionOutcome.SatisfiedWithFallback, selection.Outcome);
    }

    [Fact]
    public void Select_FamilyFlaggedInEveryZone_FallsBackToOtherFamily()
    {
        var market = new[] { Pool("az-a", "c5.xlarge", 0.068, memory: 8), Pool("az-b", "c5.xlarge", 0.069, memory: 8), Pool("az-b", "m5.xlarge", 0.07) };
        var flags = new HashSet<SpotPoolId> { new("az-a", "c5.xlarge"), new("az-b", "c5.xlarge") };

        var selection = Select(Workload(2, ["c5"], ["az-a"]), market, new SelectionPolicy(MaxPoolShare: 1, FallbackFamilies: ["m5"]), flags);

        var allocation = Assert.Single(selection.Allocations);
        Assert.Equal((new SpotPoolId("az-b", "m5.xlarge"), SelectionTier.OtherFamily), (allocation.Pool, allocation.Tier));
    }

    [Fact]
    public void Select_FallbackTiers_TriedInOrderOtherZoneThenOtherFamilyThenOnDemand()
    {
        // Other family is cheaper than other zone, other zone cheaper than On-Demand: order still follows tiers.
        var market = new[] { Pool("az-a", "c5.xlarge", 0.068, memory: 8), Pool("az-b", "c5.xlarge", 0.09, memory: 8), Pool("az-a", "m5.xlarge", 0.05) };

        var selection = Select(Workload(8, ["c5"], ["az-a"]), market, new SelectionPolicy(MaxPoolShare: 0.25, FallbackFamilies: ["m5"]));

        Assert.Equal(
            [SelectionTier.Preferred, SelectionTier.OtherZone, SelectionTier.OtherFamily, SelectionTier.OnDemand],
            selection.Allocations.Select(a => a.Tier));
        Assert.Equal(PurchaseOption.OnDemand, selection.Allocations[^1].Purchase);
        Assert.Equal("c5.xlarge", selection.Allocations[^1].Pool.InstanceType); // cheapest On-Demand of the template's families
    }

    [Fact]
    public void Select_OtherZonesForbidden_ZoneRejected()
    {
        var selection = Select(Workload(2, ["c5"], ["az-a"]), Market(), new SelectionPolicy(MaxPoolShare: 1, AllowOtherZones: false));

        Assert.Contains(new PoolRejection(new SpotPoolId("az-b", "c5.xlarge"), RejectReason.ZoneNotAllowed), selection.Rejections);
        Assert.Equal(new SpotPoolId("az-a", "c5.xlarge"), Assert.Single(selection.Allocations).Pool);
    }

    [Fact]
    public void Select_EverySpotPoolFlagged_OnDemandWhenAllowed()
    {
        var flags = Market().Select(p => p.Pool).ToHashSet();

        var selection = Select(Workload(4), Market(), flags: flags);

        var allocation = Assert.Single(selection.Allocations);
        Assert.Equal((PurchaseOption.OnDemand, "c5.xlarge", 2), (allocation.Purchase, allocation.Pool.InstanceType, allocation.Nodes));
        Assert.Equal(SelectionOutcome.SatisfiedWithFallback, selection.Outcome);
        Assert.Null(selection.Error);
        Assert.Equal("no eligible Spot pool: 6 RiskFlagged", selection.SpotShortfall);
    }

    [Fact]
    public void Select_EverySpotPoolFlaggedAndOnDemandForbidden_InsufficientCapacityError()
    {
        var flags = Market().Select(p => p.Pool).ToHashSet();

        var selection = Select(Workload(4), Market(), new SelectionPolicy(AllowOnDemandFallback: false), flags);

        Assert.Equal(SelectionOutcome.InsufficientCapacity, selection.Outcome);
        Assert.Empty(selection.Allocations);
        Assert.Equal(0, selection.UnitsPlaced);
        Assert.Equal("4 of 4 units did not fit on Spot (no eligible Spot pool: 6 RiskFlagged) and this selection was asked not to fall back to On-Demand",
            selection.Error);
    }

    [Fact]
    public void Select_PredictedAvoid_Rejected()
    {
        var market = Market();
        market[3] = market[3] with { InterruptionProbability = 0.8 };

        var selection = Select(Workload(), market);

        Assert.Contains(new PoolRejection(market[3].Pool, RejectReason.PredictedAvoid), selection.Rejections);
    }

    [Fact]
    public void Select_SameInputsInAnyOrder_SameSelection()
    {
        var market = Market();
        var shuffled = market.Reverse().ToArray();

        var first = Select(Workload(20), market);
        var second = Select(Workload(20), shuffled);

        Assert.Equal(first.Allocations, second.Allocations);
        Assert.Equal(first.Ranking, second.Ranking);
    }

    [Fact]
    public void Select_PriceWeightRaised_CheapRiskyPoolRanksFirst()
    {
        var market = new[] { Pool("az-a", "c5.xlarge", 0.050, risk: 0.30, memory: 8), Pool("az-b", "m5.xlarge", 0.080, risk: 0.02) };

        var priceFirst = Select(Workload(2), market, new SelectionPolicy(PriceWeight: 0.9, RiskWeight: 0.1, MaxPoolShare: 1));
        var riskFirst = Select(Workload(2), market, new SelectionPolicy(PriceWeight: 0.1, RiskWeight: 0.9, MaxPoolShare: 1));

        Assert.Equal("c5.xlarge", priceFirst.Ranking[0].Pool.InstanceType);
        Assert.Equal("m5.xlarge", riskFirst.Ranking[0].Pool.InstanceType);
        Assert.Equal("c5.xlarge", Assert.Single(priceFirst.Allocations).Pool.InstanceType);
        Assert.Equal("m5.xlarge", Assert.Single(riskFirst.Allocations).Pool.InstanceType);
    }

    [Fact]
    public void Select_DefaultWeights_ScoreIsSixTenthsPricePremiumPlusFourTenthsRisk()
    {
        var market = new[]
        {
            Pool("az-a", "m5.xlarge", 0.05, risk: 0.20),
            Pool("az-b", "m5.xlarge", 0.15, risk: 0.00),
            Pool("az-c", "m5.xlarge", 0.06, risk: 0.10),
        };

        var ranking = Select(Workload(2), market, new SelectionPolicy(MaxPoolShare: 1)).Ranking.ToDictionary(r => r.Pool.AvailabilityZone, r => r.Score);

        Assert.Equal(0.4 * 0.20, ranking["az-a"], 12);
        Assert.Equal(0.6 * 1.0, ranking["az-b"], 12); // a 200 % premium counts as 100 %
        Assert.Equal(0.6 * 0.2 + 0.4 * 0.10, ranking["az-c"], 12);
    }

    [Fact]
    public void Select_ExpensivePoolAdded_CheapPoolsKeepTheirOrder()
    {
        var market = new[] { Pool("az-a", "c5.xlarge", 0.050, risk: 0.075, memory: 8), Pool("az-b", "m5.xlarge", 0.053, risk: 0.025) };
        PoolCandidate[] withExpensive = [.. market, Pool("az-c", "m5.xlarge", 0.5, risk: 0.025)];

        var before = Select(Workload(2), market, new SelectionPolicy(MaxPoolShare: 1)).Ranking.Select(r => r.Pool).ToList();
        var after = Select(Workload(2), withExpensive, new SelectionPolicy(MaxPoolShare: 1)).Ranking.Select(r => r.Pool).Take(2).ToList();

        Assert.Equal(before, after);
    }

    [Fact]
    public void Select_NodeHoldsMoreThanThePoolShare_OneNodePerPoolStillAllowed()
    {
        var selection = Select(Workload(4), Market(), new SelectionPolicy(MaxPoolShare: 0.1, AllowOnDemandFallback: false));

        Assert.Equal(SelectionOutcome.Satisfied, selection.Outcome);
        Assert.Equal(2, selection.Allocations.Count);
        Assert.All(selection.Allocations, a => Assert.Equal(1, a.Nodes));
    }

    [Fact]
    public void Select_NegativeWeight_Throws()
    {
        Assert.Throws<ArgumentException>(() => Select(Workload(), Market(), new SelectionPolicy(PriceWeight: -1)));
    }

    // Units of 2 vCPU / 4 GiB: a 2xlarge holds 4, an xlarge 2, a large 1; the 2xlarge is the cheapest per unit.
    private static PoolCandidate[] Sizes(string largeZone = "az-a") =>
    [
        Pool("az-a", "m5.2xlarge", 0.12, vcpu: 8, memory: 32),
        Pool("az-a", "m5.xlarge", 0.07),
        Pool(largeZone, "m5.large", 0.04, vcpu: 2, memory: 8),
    ];

    [Fact]
    public void Select_LessThanANodeLeft_CoveredByTheNodeThatCostsLeastForIt()
    {
        var selection = Select(Workload(5, ["m5"]), Sizes(), new SelectionPolicy(MaxPoolShare: 1));

        Assert.Equal([("m5.2xlarge", 1), ("m5.large", 1)], selection.Allocations.Select(a => (a.Pool.InstanceType, a.Nodes)));
        Assert.Equal(5, selection.UnitsPlaced);
        Assert.Equal(0.16, selection.HourlyCost, 9); // not a second 2xlarge (8 units, 0.24) for one pod
        Assert.Equal([false, true], selection.Allocations.Select(a => a.CoversRemainder));
    }

    [Fact]
    public void Select_WholeNodesFit_NoSmallerNodes()
    {
        var selection = Select(Workload(8, ["m5"]), Sizes(), new SelectionPolicy(MaxPoolShare: 1));

        Assert.Equal(("m5.2xlarge", 2), (Assert.Single(selection.Allocations).Pool.InstanceType, selection.Allocations[0].Nodes));
    }

    [Fact]
    public void Select_RemainderCover_StaysInTheTier()
    {
        // The large type is only offered outside the preferred zone: a fallback tier is not used to trim a remainder.
        var selection = Select(Workload(5, ["m5"], ["az-a"]), Sizes(largeZone: "az-b"), new SelectionPolicy(MaxPoolShare: 1));

        Assert.All(selection.Allocations, a => Assert.Equal(SelectionTier.Preferred, a.Tier));
        Assert.Equal(SelectionOutcome.Satisfied, selection.Outcome);
        Assert.Equal(0.19, selection.HourlyCost, 9); // 2xlarge + xlarge
    }

    [Fact]
    public void Select_RemainderCover_RiskPricedLikeTheScore()
    {
        // One pod: the risky large node is cheaper, the xlarge costs 0.005 more, less than the risk charge the
        // default weights put on the large one's 0.45 probability (0.0225 $/unit · 0.4/0.6 · 0.43 ≈ 0.0065).
        PoolCandidate[] market = [Pool("az-a", "m5.xlarge", 0.045, risk: 0.02), Pool("az-b", "m5.large", 0.040, risk: 0.45, vcpu: 2, memory: 8)];

        var selection = Select(Workload(1, ["m5"]), market, new SelectionPolicy(MaxPoolShare: 1));
        var priceOnly = Select(Workload(1, ["m5"]), market, new SelectionPolicy(PriceWeight: 1, RiskWeight: 0, MaxPoolShare: 1));

        Assert.Equal("m5.xlarge", Assert.Single(selection.Allocations).Pool.InstanceType);
        Assert.Equal("m5.large", Assert.Single(priceOnly.Allocations).Pool.InstanceType);
    }
}
