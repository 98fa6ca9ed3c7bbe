using SpotOptimizer.Optimization.Commitments;
using SpotOptimizer.Optimization.Market;
using SpotOptimizer.Optimization.Savings;
using SpotOptimizer.Optimization.Selection;

namespace SpotOptimizer.Optimization.Tests.Savings;

/// <summary>The KPI formulas on fixed inputs with hand-computed answers.</summary>
public sealed class SavingsFormulaTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 15, 12, 0, 0, TimeSpan.Zero);

    private static readonly Dictionary<string, double> OnDemand = new(StringComparer.Ordinal) { ["m5.xlarge"] = 0.192, ["c5.xlarge"] = 0.17 };

    [Fact]
    public void Price_EachNodeAtItsRealPrice_SpendAndOnDemandEquivalent()
    {
        var nodes = new[]
        {
            new FleetNode("c", "i-spot", "m5.xlarge", "us-east-1a", PurchaseOption.Spot),
            new FleetNode("c", "i-od", "c5.xlarge", "us-east-1b", PurchaseOption.OnDemand),
            new FleetNode("c", "i-ri", "m5.xlarge", "us-east-1b", PurchaseOption.OnDemand),
            new FleetNode("c", "i-odd", "x9.huge", "us-east-1b", PurchaseOption.OnDemand),
        };
        var spot = new Dictionary<SpotPoolId, double> { [new SpotPoolId("us-east-1a", "m5.xlarge")] = 0.07 };
        var ri = new Commitment("ri", CommitmentKind.ReservedInstance, Now.AddDays(-1), Now.AddYears(1), InstanceType: "m5.xlarge", Region: "us-east-1", Count: 1, HourlyRate: 0.12);
        var coverage = CommitmentCoverage.Compute([new OnDemandUsage("i-od", "c5.xlarge", "us-east-1", "us-east-1b", 0.17), new OnDemandUsage("i-ri", "m5.xlarge", "us-east-1", "us-east-1b", 0.192)],
            [ri], Now);

        var priced = FleetPricing.Price(nodes, spot, OnDemand, coverage);

        Assert.Equal([PriceSource.SpotMarket, PriceSource.OnDemandList, PriceSource.Commitment, PriceSource.Unpriced], priced.Select(p => p.Source));
        // (0.07 + 0.17 + 0.12) × 730 = 262.8; all On-Demand (0.192 + 0.17 + 0.192) × 730 = 404.42.
        Assert.Equal(262.8, FleetPricing.MonthlySpend(priced), 6);
        Assert.Equal(404.42, FleetPricing.OnDemandEquivalent(priced), 6);
        var composition = FleetComposition.Of(priced);
        Assert.Equal(new CompositionCounts(1, 2, 1), composition.Total);
        Assert.Equal(["c5", "m5", "x9"], composition.ByFamily.Select(g => g.Key));
        Assert.Equal(new CompositionCounts(1, 0, 1), composition.ByFamily.Single(g => g.Key == "m5").Counts);
        Assert.Equal(new CompositionCounts(0, 2, 1), composition.ByZone.Single(g => g.Key == "us-east-1b").Counts);
    }

    [Fact]
    public void Realised_HoursRunUntilNowReplacedOrInterrupted_MinusInterruptionOverlap()
    {
        var replacements = new[]
        {
            // Ran 10 h until now: (0.192 − 0.07) × 10 = 1.22.
            new ReplacementRecord(Now.AddHours(-10), "i-1", "m5.xlarge", 0.192, "i-n1", "m5.xlarge", 0.07, "on_demand_to_spot"),
            // Ran 4 h, then itself replaced (pool flagged): (0.192 − 0.08) × 4 = 0.448.
            new ReplacementRecord(Now.AddHours(-20), "i-2", "m5.xlarge", 0.192, "i-n2", "m5.xlarge", 0.08, "on_demand_to_spot"),
            // i-n2 → i-n3 16 h ago, interrupted 6 h later: (0.08 − 0.075) × 6 = 0.03; overlap 0.192 × 1 h.
            new ReplacementRecord(Now.AddHours(-16), "i-n2", "m5.xlarge", 0.08, "i-n3", "m5.xlarge", 0.075, "pool_flagged"),
        };
        var interruptions = new[] { new InterruptionRecord(Now.AddHours(-10), "i-n3"), new InterruptionRecord(Now.AddHours(-1), "i-customer") };

        var result = RealisedSavings.Compute(replacements, interruptions, OnDemand, Now);

        Assert.Equal(1.22 + 0.448 + 0.03, result.Gross, 9);
        Assert.Equal(0.192, result.InterruptionCost, 9);
        Assert.Equal(1.22 + 0.448 + 0.03 - 0.192, result.Net, 9);
        Assert.Equal(20, result.HoursRun, 9);
        Assert.Equal((3, 1, 1), (result.Replacements, result.Interruptions, result.HiveMindMoves));
    }

    [Fact]
    public void Realised_OverlapIsAParameter()
    {
        var replacements = new[] { new ReplacementRecord(Now.AddHours(-2), "i-1", "m5.xlarge", 0.192, "i-n1", "m5.xlarge", 0.07, "on_demand_to_spot") };

        var result = RealisedSavings.Compute(replacements, [new InterruptionRecord(Now.AddHours(-1), "i-n1")], OnDemand, Now, overlapHours: 0.5);

        Assert.Equal(0.122, result.Gross, 9);
        Assert.Equal(0.096, result.InterruptionCost, 9);
    }

    [Fact]
    public void Realised_ConsolidationSavesRemovedLessLaunchedSinceItRan_AndEndsTheReplacementItRemoved()
    {
        // i-1 → i-n1 10 h ago; 4 h later consolidation removed i-n1 (0.07) and i-9 (0.192) and launched i-c1 (0.1), interrupted 1 h ago.
        var replacements = new[] { new ReplacementRecord(Now.AddHours(-10), "i-1", "m5.xlarge", 0.192, "i-n1", "m5.xlarge", 0.07, "on_demand_to_spot") };
        var consolidations = new[]
        {
            new ConsolidationRecord(Now.AddHours(-6), [new RemovedNode("i-n1", 0.07), new RemovedNode("i-9", 0.192)], "i-c1", "m5.xlarge", 0.1),
            new ConsolidationRecord(Now.AddHours(-2), [new RemovedNode("i-empty", 0.096)]),
        };

        var result = RealisedSavings.Compute(replacements, [new InterruptionRecord(Now.AddHours(-1), "i-c1")], OnDemand, Now, consolidations: consolidations);

        // Replacement: (0.192 − 0.07) × 4 h = 0.488. Consolidations: (0.262 − 0.1) × 6 = 0.972 and 0.096 × 2 = 0.192.
        Assert.Equal(0.488 + 0.972 + 0.192, result.Gross, 9);
        Assert.Equal(0.972 + 0.192, result.ConsolidationGross, 9);
        Assert.Equal(4, result.HoursRun, 9);
        Assert.Equal((1, 2, 1), (result.Interruptions, result.Consolidations, result.Replacements));
        Assert.Equal(0.192, result.InterruptionCost, 9);
    }
}
