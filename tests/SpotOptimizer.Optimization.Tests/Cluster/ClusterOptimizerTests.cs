using SpotOptimizer.Optimization.Cluster;
using SpotOptimizer.Optimization.Market;
using SpotOptimizer.Optimization.Risk;
using SpotOptimizer.Optimization.Selection;

namespace SpotOptimizer.Optimization.Tests.Cluster;

/// <summary>CORE-DECIDE for a cluster: stability first, thresholds, churn guard, disruption budget, On-Demand base, spreading.</summary>
public sealed class ClusterOptimizerTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 2, 12, 0, 0, TimeSpan.Zero);
    private static readonly string[] Zones = ["us-east-1a", "us-east-1b", "us-east-1c"];

    /// <summary>Answers a fixed probability per instance type (0.05 when not listed), so the tests steer risk exactly.</summary>
    private sealed class FixedRisk(IReadOnlyDictionary<string, double> byType) : IInterruptionPredictor
    {
        public string Version => "fixed-1";

        public int Calls { get; private set; }

        public InterruptionPrediction Predict(InterruptionPredictionRequest request)
        {
            Calls++;
            var p = byType.GetValueOrDefault(request.Features.InstanceType, 0.05);
            return new InterruptionPrediction(PredictionIds.For(request, Version), p, 0.9, InterruptionContract.ActionFor(p));
        }
    }

    private static RiskAssessor Risk(params (string Type, double P)[] risks) =>
        new(new FixedRisk(risks.ToDictionary(r => r.Type, r => r.P)), RiskReferenceData.Empty);

    /// <summary>m5.xlarge On-Demand $0.192; Spot c5.xlarge-class prices per zone, m5.xlarge cheapest in 1a.</summary>
    private static MarketSnapshot Market(double m5SpotPrice = 0.07)
    {
        var types = new[] { Catalog.Type("m5.xlarge", 4, 16), Catalog.Type("r5.xlarge", 4, 32), Catalog.Type("c5.2xlarge", 8, 16) };
        var spot = new Dictionary<string, double> { ["m5.xlarge"] = m5SpotPrice, ["r5.xlarge"] = 0.08, ["c5.2xlarge"] = 0.12 };
        var quotes = (from type in types
                      from zone in Zones
                      let price = spot[type.Name] + (Array.IndexOf(Zones, zone) * 0.002)
                      select new PoolQuote(new SpotPoolId(zone, type.Name), type, price, null, null, [price, price])).ToList();
        return new MarketSnapshot("us-east-1", Now, quotes,
            [new OnDemandOffer(types[0], 0.192), new OnDemandOffer(types[1], 0.252), new OnDemandOffer(types[2], 0.34)]);
    }

    private static List<ClusterNode> OnDemandNodes(int count) =>
        [.. Enumerable.Range(0, count).Select(i => new ClusterNode($"i-od{i:D2}", "m5.xlarge", Zones[i % 3], PurchaseOption.OnDemand, "general"))];

    private static ClusterPlan Plan(IReadOnlyList<ClusterNode> nodes, RiskAssessor? risk = null, OptimizationSettings? settings = null,
        IReadOnlySet<SpotPoolId>? flagged = null, IReadOnlyDictionary<string, DateTimeOffset>? placed = null, MarketSnapshot? market = null) =>
        ClusterOptimizer.Plan(new ClusterOptimizationRequest(nodes, market ?? Market(), flagged ?? new HashSet<SpotPoolId>(),
            settings ?? new OptimizationSettings(DisruptionBudgetPercent: 100, MinOnDemandNodes: 0), placed ?? new Dictionary<string, DateTimeOffset>(), Now), risk ?? Risk());

    [Fact]
    public void Plan_OnDemandNodes_MoveToTheCheapestSafeSpotPools_SpreadOverPools()
    {
        var plan = Plan(OnDemandNodes(4));

        Assert.Equal(4, plan.Replacements.Count);
        Assert.All(plan.Replacements, r =>
        {
            Assert.Equal(ReplacementReasons.OnDemandToSpot, r.Reason);
            Assert.Equal(PurchaseOption.Spot, r.TargetPurchase);
            Assert.Equal(0.192, r.CurrentPricePerHour);
        });
        Assert.Equal("us-east-1a/m5.xlarge", plan.Replacements[0].Target.ToString());
        // At most half of the nodes per pool (the default share): four nodes land in two pools, two each.
        Assert.All(plan.Replacements.GroupBy(r => r.Target), g => Assert.Equal(2, g.Count()));
        Assert.Equal(RiskSource.Model, plan.RiskSource);
    }

    [Fact]
    public void Plan_ManyNodes_AsksTheModelAboutEachPoolOnce()
    {
        var model = new FixedRisk(new Dictionary<string, double>());

        var plan = Plan(OnDemandNodes(6), new RiskAssessor(model, RiskReferenceData.Empty));

        Assert.Equal(6, plan.Replacements.Count);
        Assert.Equal(Market().Pools.Count, model.Calls);
    }

    [Fact]
    public void Plan_FlaggedPoolNodes_MoveFirst_EvenWithoutASaving()
    {
        var flaggedPool = new SpotPoolId("us-east-1a", "m5.xlarge");
        List<ClusterNode> nodes = [new("i-spot", "m5.xlarge", "us-east-1a", PurchaseOption.Spot, null), .. OnDemandNodes(2)];

        var plan = Plan(nodes, flagged: new HashSet<SpotPoolId> { flaggedPool });

        Assert.Equal(("i-spot", ReplacementReasons.PoolFlagged), (plan.Replacements[0].Node.InstanceId, plan.Replacements[0].Reason));
        Assert.DoesNotContain(plan.Replacements, r => r.Target == flaggedPool);
    }

    [Fact]
    public void Plan_TargetRiskAboveTheStrategyLimit_IsBlocked_StabilityBeatsSavings()
    {
        var plan = Plan(OnDemandNodes(1), Risk(("m5.xlarge", 0.3), ("r5.xlarge", 0.3), ("c5.2xlarge", 0.3)),
            new OptimizationSettings(MaxTargetRisk: 0.2, DisruptionBudgetPercent: 100, MinOnDemandNodes: 0));

        Assert.Empty(plan.Replacements);
        Assert.Equal(BlockReasons.TargetRiskTooHigh, Assert.Single(plan.Blocked).Code);
    }

    [Fact]
    public void Plan_SavingBelowTheThreshold_IsBlocked()
    {
        var plan = Plan(OnDemandNodes(1), market: Market(m5SpotPrice: 0.18), settings: new OptimizationSettings(MinSavingsPercent: 60, DisruptionBudgetPercent: 100, MinOnDemandNodes: 0));

        var blocked = Assert.Single(plan.Blocked);
        Assert.Equal(BlockReasons.SavingsBelowThreshold, blocked.Code);
        Assert.Contains("below the 60% threshold", blocked.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_NodeWePlacedRecently_IsNotReplacedAgain_UntilTheWindowPasses()
    {
        var flagged = new HashSet<SpotPoolId> { new("us-east-1a", "m5.xlarge") };
        var nodes = new List<ClusterNode> { new("i-ours", "m5.xlarge", "us-east-1a", PurchaseOption.Spot, null) };

        var recent = Plan(nodes, flagged: flagged, placed: new Dictionary<string, DateTimeOffset> { ["i-ours"] = Now - TimeSpan.FromHours(1) });
        var later = Plan(nodes, flagged: flagged, placed: new Dictionary<string, DateTimeOffset> { ["i-ours"] = Now - TimeSpan.FromHours(7) });

        Assert.Equal(BlockReasons.ChurnGuard, Assert.Single(recent.Blocked).Code);
        Assert.Single(later.Replacements);
    }

    [Fact]
    public void Plan_DisruptionBudgetAndOnDemandBase_CapTheRun()
    {
        var budgeted = Plan(OnDemandNodes(8), settings: new OptimizationSettings(DisruptionBudgetPercent: 25, MinOnDemandNodes: 0));
        var based = Plan(OnDemandNodes(3), settings: new OptimizationSettings(DisruptionBudgetPercent: 100, MinOnDemandNodes: 1));

        Assert.Equal((2, 2), (budgeted.DisruptionBudget, budgeted.Replacements.Count));
        Assert.Equal(6, budgeted.Blocked.Count(b => b.Code == BlockReasons.DisruptionBudget));
        Assert.Equal(2, based.Replacements.Count);
        Assert.Equal(BlockReasons.OnDemandBase, Assert.Single(based.Blocked).Code);
    }

    [Fact]
    public void Plan_StalePrices_MarkedUpAndSaid()
    {
        var market = Market();
        market = market with { Pools = [.. market.Pools.Select(q => q with { Stale = true })] };

        var plan = Plan(OnDemandNodes(1), market: market);

        Assert.True(plan.PricesStale);
        Assert.Contains(plan.Notes, n => n.Contains("[STALE-L2]", StringComparison.Ordinal));
        Assert.Equal(0.07 * 1.10, plan.Replacements[0].TargetPricePerHour, 9);
    }

    [Fact]
    public void Plan_WithoutAModel_FallsBackToTheHeuristicAndSaysSo()
    {
        var plan = Plan(OnDemandNodes(1), new RiskAssessor(null, RiskReferenceData.Empty));

        Assert.Equal(RiskSource.HeuristicFallback, plan.RiskSource);
        Assert.Equal(BucketHeuristic.ModelVersion, plan.RiskModelVersion);
        Assert.Contains(plan.Notes, n => n.Contains("[FALLBACK-L1]", StringComparison.Ordinal));
    }
}
