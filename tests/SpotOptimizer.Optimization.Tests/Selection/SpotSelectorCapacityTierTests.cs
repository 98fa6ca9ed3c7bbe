using SpotOptimizer.Optimization.Market;
using SpotOptimizer.Optimization.Selection;

namespace SpotOptimizer.Optimization.Tests.Selection;

/// <summary><see cref="SelectionPolicy.BestCapacityTierOnly"/>: the best Spot Advisor bucket of each tier, then price and risk.</summary>
public sealed class SpotSelectorCapacityTierTests
{
    private static readonly HashSet<SpotPoolId> NoFlags = [];
    private static readonly SelectionPolicy CapacityFirst = SelectionPolicy.Default with { BestCapacityTierOnly = true };
    private static readonly OnDemandOffer[] OnDemand = [new(Catalog.Type("m5.xlarge", 4, 16), 0.192)];

    // One unit = 2 vCPU / 4 GiB: each *.xlarge below holds 2 units.
    private static WorkloadRequirements Workload(IReadOnlyList<string>? families = null) => new(8, 2, 4, CpuArchitecture.Amd64, families ?? ["m5", "c5"]);

    private static PoolCandidate Pool(string zone, string type, double price, int? bucket) =>
        new(new SpotPoolId(zone, type), Catalog.Type(type, 4, 16), price, 0.05, bucket);

    private static PoolCandidate[] Market() =>
    [
        Pool("az-a", "c5.xlarge", 0.060, bucket: 1),
        Pool("az-b", "c5.xlarge", 0.061, bucket: 1),
        Pool("az-a", "m5.xlarge", 0.070, bucket: 0),
        Pool("az-b", "m5.xlarge", 0.072, bucket: 0),
        Pool("az-c", "m5.xlarge", 0.074, bucket: 0),
        Pool("az-d", "m5.xlarge", 0.075, bucket: 0),
    ];

    private static SpotSelection Select(IReadOnlyList<PoolCandidate> market, SelectionPolicy policy, WorkloadRequirements? workload = null) =>
        SpotSelector.Select(workload ?? Workload(), market, OnDemand, NoFlags, policy);

    [Fact]
    public void Select_CapacityFirst_OnlyTheBestBucketIsRankedAndTheRestRejectedWithReason()
    {
        var selection = Select(Market(), CapacityFirst);

        Assert.Equal(SelectionOutcome.Satisfied, selection.Outcome);
        Assert.All(selection.Allocations, a => Assert.Equal("m5.xlarge", a.Pool.InstanceType));
        Assert.All(selection.Ranking, r => Assert.Equal("m5.xlarge", r.Pool.InstanceType));
        Assert.Equal(2, selection.Rejections.Count(r => r.Reason == RejectReason.WorseCapacityTier));
    }

    [Fact]
    public void Select_OneBucketToAGroup_BestBucketFirstWithWorseBucketsKeptAsOverflow()
    {
        // One bucket to a group (the default ranks buckets 0 and 1 together: Select_TierWidthTwo_… below).
        var bucketZeroFirst = SelectionPolicy.Default with { CapacityTierWidth = 1 };
        var selection = Select(Market(), bucketZeroFirst);
        // Twelve units at a 25 % share fill the four bucket-0 pools (2 nodes of 2 units each): the bucket-1 pools take the rest.
        var crowded = Select(Market(), bucketZeroFirst with { MaxPoolShare = 0.25 }, new WorkloadRequirements(20, 2, 4, CpuArchitecture.Amd64, ["m5", "c5"]));

        Assert.All(selection.Allocations, a => Assert.Equal("m5.xlarge", a.Pool.InstanceType));
        Assert.DoesNotContain(selection.Rejections, r => r.Reason == RejectReason.WorseCapacityTier);
        Assert.Equal(["m5.xlarge", "m5.xlarge", "m5.xlarge", "m5.xlarge", "c5.xlarge", "c5.xlarge"], selection.Ranking.Select(r => r.Pool.InstanceType));
        Assert.Contains(crowded.Allocations, a => a.Pool.InstanceType == "c5.xlarge");
    }

    [Fact]
    public void Select_TierWidthTwo_NeighbouringBucketsCompeteOnPriceButBucketTwoStaysOverflow()
    {
        PoolCandidate[] market = [.. Market(), Pool("az-c", "c5.xlarge", 0.040, bucket: 2)];

        var narrow = Select(market, SelectionPolicy.Default with { CapacityTierWidth = 1 });
        var wide = Select(market, SelectionPolicy.Default with { CapacityTierWidth = 2 });

        Assert.All(narrow.Allocations, a => Assert.Equal("m5.xlarge", a.Pool.InstanceType));
        // Buckets 0 and 1 rank as one group: the cheaper bucket-1 pools lead it; the cheapest pool, bucket 2, still comes last.
        Assert.Equal(["c5.xlarge", "c5.xlarge"], wide.Ranking.Take(2).Select(r => r.Pool.InstanceType));
        Assert.Equal(new SpotPoolId("az-c", "c5.xlarge"), wide.Ranking[^1].Pool);
        Assert.Contains(wide.Allocations, a => a.Pool.InstanceType == "c5.xlarge" && a.Pool.AvailabilityZone != "az-c");
        Assert.DoesNotContain(wide.Allocations, a => a.Pool == new SpotPoolId("az-c", "c5.xlarge"));
    }

    [Fact]
    public void Select_PriceAndRiskOnly_CheaperWorseBucketStillWins()
    {
        var selection = Select(Market(), SelectionPolicy.Default with { CapacityTierFirst = false });

        Assert.Contains(selection.Allocations, a => a.Pool.InstanceType == "c5.xlarge");
        Assert.DoesNotContain(selection.Rejections, r => r.Reason == RejectReason.WorseCapacityTier);
    }

    [Fact]
    public void Select_CapacityFirst_BestBucketIsPerTier()
    {
        // The preferred family only has bucket-2 pools; a bucket-0 fallback family does not push it out.
        PoolCandidate[] market =
        [
            Pool("az-a", "m5.xlarge", 0.070, bucket: 2),
            Pool("az-b", "m5.xlarge", 0.071, bucket: 2),
            Pool("az-c", "m5.xlarge", 0.072, bucket: 3),
            Pool("az-d", "m5.xlarge", 0.073, bucket: 2),
            Pool("az-e", "m5.xlarge", 0.074, bucket: 2),
            Pool("az-a", "c5.xlarge", 0.050, bucket: 0),
        ];

        var selection = SpotSelector.Select(Workload(["m5"]), market, OnDemand, NoFlags, CapacityFirst with { FallbackFamilies = ["c5"] });

        Assert.Equal(SelectionOutcome.Satisfied, selection.Outcome);
        Assert.All(selection.Allocations, a => Assert.Equal("m5.xlarge", a.Pool.InstanceType));
        Assert.Equal([new PoolRejection(new SpotPoolId("az-c", "m5.xlarge"), RejectReason.WorseCapacityTier)], selection.Rejections);
    }

    [Fact]
    public void Select_CapacityFirst_UnknownBucketRanksBehindAnyKnownOne()
    {
        PoolCandidate[] known = [.. Market()[2..], Pool("az-e", "c5.xlarge", 0.050, bucket: null)];
        PoolCandidate[] allUnknown = [.. Market().Select(p => p with { InterruptionBucket = null })];

        var withKnown = Select(known, CapacityFirst);
        var withoutKnown = Select(allUnknown, CapacityFirst);

        Assert.Contains(new PoolRejection(new SpotPoolId("az-e", "c5.xlarge"), RejectReason.WorseCapacityTier), withKnown.Rejections);
        Assert.Empty(withoutKnown.Rejections);
        Assert.Contains(withoutKnown.Allocations, a => a.Pool.InstanceType == "c5.xlarge");
    }
}
