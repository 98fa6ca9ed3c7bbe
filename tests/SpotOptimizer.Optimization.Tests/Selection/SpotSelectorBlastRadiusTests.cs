using SpotOptimizer.Optimization.Market;
using SpotOptimizer.Optimization.Selection;

namespace SpotOptimizer.Optimization.Tests.Selection;

/// <summary>Blast radius (a workload's pool share, its zone spread) and the capacity-tier-first ranking of the default policy.</summary>
public sealed class SpotSelectorBlastRadiusTests
{
    private static readonly HashSet<SpotPoolId> NoFlags = [];

    private static readonly OnDemandOffer[] OnDemand = [new(Catalog.Type("m5.xlarge", 4, 16), 0.192)];

    // One unit = 2 vCPU / 4 GiB: an m5.xlarge holds 2.
    private static WorkloadRequirements Workload(int count, IReadOnlyList<WorkloadSpread>? spread = null) =>
        new(count, 2, 4, CpuArchitecture.Amd64, ["m5"], Spread: spread);

    private static PoolCandidate Pool(string zone, double price, int? bucket = 0, double rise = 0) =>
        new(new SpotPoolId(zone, "m5.xlarge"), Catalog.Type("m5.xlarge", 4, 16), price, 0.05, bucket, rise);

    private static PoolCandidate[] SixZones() => [.. "abcdef".Select((z, i) => Pool("az-" + z, 0.070 + i * 0.001))];

    private static SpotSelection Select(WorkloadRequirements workload, IReadOnlyList<PoolCandidate> market, SelectionPolicy? policy = null) =>
        SpotSelector.Select(workload, market, OnDemand, NoFlags, policy ?? SelectionPolicy.Default);

    [Fact]
    public void Select_WorkloadStricterPoolShare_CapsEveryPoolAtIt()
    {
        // 12 units; the policy allows 50 % per pool, the workload asks for at most a sixth of its replicas in one pool.
        var policy = SelectionPolicy.Default with { MaxPoolShare = 0.5 };
        var loose = Select(Workload(12), SixZones(), policy);
        var strict = Select(Workload(12, [new WorkloadSpread("api", 12, MaxPoolShare: 1.0 / 6)]), SixZones(), policy);

        Assert.Equal(6, loose.Allocations.Max(a => a.Units));
        Assert.All(strict.Allocations, a => Assert.True(a.Units <= 2, $"{a.Pool} holds {a.Units} of 12 units"));
        Assert.Equal(6, strict.Allocations.Count);
        Assert.Equal(12, strict.UnitsPlaced);
    }

    [Fact]
    public void Select_ZoneTopologySpread_KeepsEachZoneWithinAnEvenSpreadPlusSkew()
    {
        // Two cheap pools (types) per zone in az-a, one elsewhere: without the spread most units land in az-a.
        PoolCandidate[] market =
        [
            Pool("az-a", 0.060),
            new(new SpotPoolId("az-a", "m5a.xlarge"), Catalog.Type("m5a.xlarge", 4, 16), 0.061, 0.05, 0),
            Pool("az-b", 0.075),
            Pool("az-c", 0.076),
        ];
        var workload = new WorkloadRequirements(12, 2, 4, CpuArchitecture.Amd64, ["m5", "m5a"]);
        var policy = SelectionPolicy.Default with { MaxPoolShare = 0.5 };

        var free = Select(workload, market, policy);
        var spread = Select(workload with { Spread = [new WorkloadSpread("api", 12, ZoneMaxSkew: 1)] }, market, policy);

        Assert.Equal(12, free.Allocations.Where(a => a.Pool.AvailabilityZone == "az-a").Sum(a => a.Units));
        var perZone = spread.Allocations.GroupBy(a => a.Pool.AvailabilityZone).ToDictionary(g => g.Key, g => g.Sum(a => a.Units));
        Assert.All(perZone.Values, units => Assert.True(units <= 12 / 3 + 1, $"a zone holds {units} of 12 units"));
        Assert.Equal(12, spread.UnitsPlaced);
        Assert.Equal(3, perZone.Count);
    }

    [Fact]
    public void Select_CapacityTierFirst_RanksBestBucketBeforeCheaperWorseBucket()
    {
        // Bucket 2: the default ranks buckets 0 and 1 as one group (CapacityTierWidth), bucket 2 after them.
        PoolCandidate[] market = [Pool("az-a", 0.050, bucket: 2), Pool("az-b", 0.070, bucket: 0)];

        var tierFirst = Select(Workload(2), market);
        var priceAndRisk = Select(Workload(2), market, SelectionPolicy.Default with { CapacityTierFirst = false });

        Assert.Equal("az-b", Assert.Single(tierFirst.Allocations).Pool.AvailabilityZone);
        Assert.Equal("az-a", Assert.Single(priceAndRisk.Allocations).Pool.AvailabilityZone);
        // The worse bucket stays as overflow (unlike BestCapacityTierOnly, which drops it).
        Assert.Equal(["az-b", "az-a"], tierFirst.Ranking.Select(r => r.Pool.AvailabilityZone));
    }

    [Fact]
    public void Select_PriceSpikingPool_ComesAfterCalmOnesOfItsBucket()
    {
        // az-a is cheapest but its price stands 4 % above its 24 h minimum; the threshold is 3 %.
        PoolCandidate[] market = [Pool("az-a", 0.060, rise: 0.04), Pool("az-b", 0.070, rise: 0.02)];

        var spikeAware = Select(Workload(2), market);
        var blind = Select(Workload(2), market, SelectionPolicy.Default with { PriceSpikeThreshold = 0 });

        Assert.Equal("az-b", Assert.Single(spikeAware.Allocations).Pool.AvailabilityZone);
        Assert.Equal("az-a", Assert.Single(blind.Allocations).Pool.AvailabilityZone);
    }

    [Theory]
    [InlineData(new[] { 1.00, 0.90, 0.95, 1.00 }, 1.0 / 0.90 - 1)]
    [InlineData(new[] { 0.80, 1.00, 1.00 }, 0.25)]
    [InlineData(new double[0], 0)]
    public void RiseOverDayMinimum_ComparesTheCurrentPriceWithTheLast24HoursMinimum(double[] history, double expected)
    {
        Assert.Equal(expected, PoolCandidate.RiseOverDayMinimum(history), 9);
    }

    [Fact]
    public void RiseOverDayMinimum_IgnoresPricesOlderThan24Hours()
    {
        // A low price 30 h ago is outside the window: the last 25 hourly prices (24 h before now, and now) are flat.
        var history = new[] { 0.5 }.Concat(Enumerable.Repeat(1.0, 29)).ToArray();

        Assert.Equal(0, PoolCandidate.RiseOverDayMinimum(history));
    }
}
