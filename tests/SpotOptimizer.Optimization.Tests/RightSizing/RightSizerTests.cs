using SpotOptimizer.Optimization.RightSizing;

namespace SpotOptimizer.Optimization.Tests.RightSizing;

/// <summary>MOD-SIZE-01 on hand-made workloads; every number below is worked out in the comment beside it (margin 15 %).</summary>
public sealed class RightSizerTests
{
    private static readonly ResourcePrices Prices = new(PerVCpuHour: 0.04, PerGiBHour: 0.005);

    private static WorkloadSizing Workload(string name, int replicas, PodResources pods, UsagePercentiles? usage) =>
        new("shop", name, "Deployment", replicas, [.. Enumerable.Repeat(pods, replicas)], usage);

    private static UsagePercentiles Usage(int cpuP95, int memoryP99, double days = 14) =>
        new(days, cpuP95 / 2, cpuP95, cpuP95 + 10, memoryP99 / 2, memoryP99 - 10, memoryP99);

    private static SizingRecommendation One(WorkloadSizing workload, ResourcePrices? prices = null) =>
        Assert.Single(RightSizer.Recommend([workload], prices ?? Prices, SizingPolicy.Default).Items);

    [Fact]
    public void Recommend_OverProvisioned_LowersRequestsToPercentilesPlusMargin()
    {
        var item = One(Workload("api", 3, new PodResources(1000, 2048), Usage(cpuP95: 200, memoryP99: 500)));

        Assert.Equal(SizingReasons.OverProvisioned, item.Code);
        Assert.Null(item.Risk);
        // CPU 200 × 1.15 = 230m; memory 500 × 1.15 = 575 → 576 MiB (4 MiB steps); limit 1.5 × 576 = 864 MiB.
        Assert.Equal(new PodResources(230, 576, null, 864), item.Recommended);
        // ((1000 − 230)/1000 × 0.04 + (2048 − 576)/1024 × 0.005) × 3 replicas × 730 h = 0.0379875 × 2190 = 83.19.
        Assert.Equal(83.19, item.MonthlySaving);
        Assert.Equal(1.0, item.Confidence);
        Assert.False(item.PodSpecsDiffer);
    }

    [Fact]
    public void Recommend_MemoryNearItsLimit_RaisesRequestsWithOomRiskAndANegativeSaving()
    {
        var item = One(Workload("cart", 2, new PodResources(100, 256, CpuLimitMillicores: 200, MemoryLimitMiB: 300), Usage(cpuP95: 150, memoryP99: 290)));

        Assert.Equal(SizingReasons.UnderProvisioned, item.Code);
        Assert.Equal(SizingRisks.OomKill, item.Risk); // p99 290 ≥ 90 % of the 300 MiB limit
        // CPU 150 × 1.15 = 172.5 → 175m, its limit keeps the 2:1 ratio (350m); memory 333.5 → 336 MiB, limit 1.5 × 336 = 504.
        Assert.Equal(new PodResources(175, 336, 350, 504), item.Recommended);
        // ((100 − 175)/1000 × 0.04 + (256 − 336)/1024 × 0.005) × 2 × 730 = −0.003390625 × 1460 = −4.95.
        Assert.Equal(-4.95, item.MonthlySaving);
    }

    [Fact]
    public void Recommend_CpuAboveRequestWithoutLimit_IsContentionNotThrottling()
    {
        var item = One(Workload("worker", 1, new PodResources(100, 512), Usage(cpuP95: 400, memoryP99: 440)));

        Assert.Equal(SizingReasons.UnderProvisioned, item.Code);
        Assert.Equal(SizingRisks.CpuContention, item.Risk);
        Assert.Equal(460, item.Recommended.CpuRequestMillicores); // 400 × 1.15
        Assert.Null(item.Recommended.CpuLimitMillicores);
    }

    [Fact]
    public void Recommend_SmallDifferences_AreWithinToleranceAndChangeNothing()
    {
        // Targets 245m (|−5| < 25m) and 496 MiB (|−16| < max(51.2, 32)).
        var item = One(Workload("web", 4, new PodResources(250, 512), Usage(cpuP95: 210, memoryP99: 430)));

        Assert.Equal(SizingReasons.WithinTolerance, item.Code);
        Assert.Equal(item.Current, item.Recommended);
        Assert.Equal(0, item.MonthlySaving);
    }

    [Theory]
    [InlineData(782, 900)] // 782 × 1.15 = 899.3 → 900m: exactly 10 % below 1000m, so it changes
    [InlineData(783, 1000)] // 900.45 → 905m: 95m is under 10 %, so it stays
    public void Recommend_CpuAtTheToleranceEdge_ChangesOnlyFromTenPercent(int cpuP95, int expected)
    {
        var item = One(Workload("edge", 1, new PodResources(1000, 1024), Usage(cpuP95, memoryP99: 880)));

        Assert.Equal(expected, item.Recommended.CpuRequestMillicores);
    }

    [Fact]
    public void Recommend_IdleWorkload_KeepsTheFloors()
    {
        var item = One(Workload("idle", 1, new PodResources(500, 1024), Usage(cpuP95: 0, memoryP99: 0)));

        Assert.Equal((10, 32), (item.Recommended.CpuRequestMillicores, item.Recommended.MemoryRequestMiB));
    }

    [Fact]
    public void Recommend_WithoutEnoughData_SkipsWithItsCodeAndScalesConfidence()
    {
        var pod = new PodResources(500, 1024);
        var report = RightSizer.Recommend(
        [
            Workload("blind", 2, pod, null),
            Workload("new", 2, pod, Usage(100, 300, days: 1.5)),
            new WorkloadSizing("shop", "pending", "Deployment", 2, [], Usage(100, 300)),
            Workload("young", 2, pod, Usage(100, 300, days: 7)),
        ], Prices, SizingPolicy.Default);

        Assert.Equal(
            [("blind", SizingReasons.NoUsageData), ("new", SizingReasons.InsufficientWindow), ("pending", SizingReasons.NoPods)],
            report.Skipped.Select(s => (s.Workload, s.Code)));
        Assert.Equal(0.5, Assert.Single(report.Items).Confidence);
    }

    [Fact]
    public void Recommend_Totals_SayWhatIncreasesCost()
    {
        var report = RightSizer.Recommend(
        [
            Workload("api", 3, new PodResources(1000, 2048), Usage(200, 500)),
            Workload("cart", 2, new PodResources(100, 256, 200, 300), Usage(150, 290)),
        ], Prices, SizingPolicy.Default);

        Assert.Equal(83.19, report.MonthlySavingFromDecreases);
        Assert.Equal(4.95, report.MonthlyCostOfIncreases);
        Assert.Equal(78.24, report.TotalMonthlySaving);
    }

    [Fact]
    public void Recommend_WithoutPrices_RecommendsWithoutSavings()
    {
        var report = RightSizer.Recommend([Workload("api", 3, new PodResources(1000, 2048), Usage(200, 500))], null, SizingPolicy.Default);

        Assert.Null(Assert.Single(report.Items).MonthlySaving);
        Assert.Null(report.TotalMonthlySaving);
        Assert.Equal(230, report.Items[0].Recommended.CpuRequestMillicores);
    }

    [Fact]
    public void CurrentSpec_MixedPods_TakesTheMostCommonThenTheLarger()
    {
        var small = new PodResources(100, 128);
        var large = new PodResources(200, 256);

        Assert.Equal((small, true), RightSizer.CurrentSpec([small, large, small]));
        Assert.Equal((large, true), RightSizer.CurrentSpec([small, large]));
        Assert.Equal((small, false), RightSizer.CurrentSpec([small, small]));
    }
}
