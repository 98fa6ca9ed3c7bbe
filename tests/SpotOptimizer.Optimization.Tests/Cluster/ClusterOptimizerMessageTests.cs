using System.Reflection;
using SpotOptimizer.Optimization.Cluster;
using SpotOptimizer.Optimization.Market;
using SpotOptimizer.Optimization.Risk;
using SpotOptimizer.Optimization.Selection;

namespace SpotOptimizer.Optimization.Tests.Cluster;

/// <summary>
/// CORE-DECIDE says what really happened: each refusal's code and sentence pinned on fixed inputs. The customer's
/// On-Demand fallback setting is named only where it is the cause (a Spot node that cannot leave a bad pool).
/// </summary>
public sealed class ClusterOptimizerMessageTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 2, 12, 0, 0, TimeSpan.Zero);
    private static readonly string[] Zones = ["us-east-1a", "us-east-1b", "us-east-1c"];

    private static readonly HashSet<string> StableCodes = [.. typeof(BlockReasons).GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!)];

    private sealed class FixedRisk(double probability) : IInterruptionPredictor
    {
        public string Version => "fixed-1";

        public InterruptionPrediction Predict(InterruptionPredictionRequest request) =>
            new(PredictionIds.For(request, Version), probability, 0.9, InterruptionContract.ActionFor(probability));
    }

    /// <summary>Nine pools (m5/r5/c5 × three zones); m5.xlarge On-Demand $0.192, Spot $0.07 in 1a, r5 $0.08, c5 $0.12 (+$0.002 a zone).</summary>
    private static MarketSnapshot Market(double m5SpotPrice = 0.07, bool onDemandOffers = true)
    {
        var types = new[] { Catalog.Type("m5.xlarge", 4, 16), Catalog.Type("r5.xlarge", 4, 32), Catalog.Type("c5.2xlarge", 8, 16) };
        var spot = new Dictionary<string, double> { ["m5.xlarge"] = m5SpotPrice, ["r5.xlarge"] = 0.08, ["c5.2xlarge"] = 0.12 };
        var quotes = (from type in types
                      from zone in Zones
                      let price = spot[type.Name] + (Array.IndexOf(Zones, zone) * 0.002)
                      select new PoolQuote(new SpotPoolId(zone, type.Name), type, price, null, null, [price, price])).ToList();
        return new MarketSnapshot("us-east-1", Now, quotes,
            onDemandOffers ? [new OnDemandOffer(types[0], 0.192), new OnDemandOffer(types[1], 0.252), new OnDemandOffer(types[2], 0.34)] : []);
    }

    private static HashSet<SpotPoolId> EveryPool() => [.. Market().Pools.Select(q => q.Pool)];

    private static OptimizationSettings Settings(bool fallback = true, double minSavings = 10, double maxRisk = 0.35, double budget = 100, int onDemandBase = 0,
        IReadOnlyList<string>? families = null) =>
        new(minSavings, maxRisk, budget, onDemandBase, null, families, SelectionPolicy.Default with { AllowOnDemandFallback = fallback });

    private static ClusterPlan Plan(IReadOnlyList<ClusterNode> nodes, OptimizationSettings settings, IReadOnlySet<SpotPoolId>? flagged = null,
        MarketSnapshot? market = null, double risk = 0.05, IReadOnlyDictionary<string, DateTimeOffset>? placed = null)
    {
        var plan = ClusterOptimizer.Plan(new ClusterOptimizationRequest(nodes, market ?? Market(), flagged ?? new HashSet<SpotPoolId>(), settings,
            placed ?? new Dictionary<string, DateTimeOffset>(), Now), new RiskAssessor(new FixedRisk(risk), RiskReferenceData.Empty));
        Assert.All(plan.Blocked, b => Assert.Contains(b.Code, StableCodes));
        return plan;
    }

    private static ClusterNode OnDemand(string id = "i-od", string type = "m5.xlarge") => new(id, type, "us-east-1a", PurchaseOption.OnDemand, "general");

    private static ClusterNode Spot(string zone = "us-east-1a", string type = "m5.xlarge", string id = "i-spot") => new(id, type, zone, PurchaseOption.Spot, null);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Plan_OnDemandNodeAndNoSpotPool_StaysOnDemand_WithoutBlamingTheFallbackSetting(bool fallback)
    {
        var plan = Plan([OnDemand()], Settings(fallback), EveryPool());

        var blocked = Assert.Single(plan.Blocked);
        Assert.Equal(new BlockedReplacement("i-od", BlockReasons.NoSpotCapacity,
            "no Spot pool qualified (no eligible Spot pool: 9 RiskFlagged): the node stays On-Demand"), blocked);
        Assert.DoesNotContain("fallback", blocked.Reason, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Plan_OnDemandNodeAndEligiblePoolsFull_SaysThePoolShareNotEligibility()
    {
        // Three Spot nodes fill the three m5 pools to a 25 % pool share; the fourth node has nowhere to go on Spot.
        List<ClusterNode> nodes = [OnDemand(), .. Zones.Select((z, i) => Spot(z, id: $"i-spot{i}"))];

        var plan = Plan(nodes, Settings(families: ["m5"]) with { Selection = SelectionPolicy.Default with { MaxPoolShare = 0.25 } });

        Assert.Equal(new BlockedReplacement("i-od", BlockReasons.NoSpotCapacity,
            "no Spot pool qualified (3 eligible Spot pools are full at the 25% pool share; rejected: 6 FamilyNotAllowed): the node stays On-Demand"),
            Assert.Single(plan.Blocked));
    }

    [Fact]
    public void Plan_FlaggedSpotNodeWithFallbackOff_NamesTheFallbackSetting()
    {
        var plan = Plan([Spot()], Settings(fallback: false), EveryPool());

        Assert.Equal(new BlockedReplacement("i-spot", BlockReasons.OnDemandFallbackOff,
            "no other Spot pool qualified (no eligible Spot pool: 9 RiskFlagged) and On-Demand fallback is off in the cluster's policy: "
            + "the node stays in us-east-1a/m5.xlarge, flagged by the hive mind"), Assert.Single(plan.Blocked));
    }

    [Fact]
    public void Plan_FlaggedSpotNodeWithFallbackOnAndNoOnDemandType_SaysNoTypeFits()
    {
        var plan = Plan([Spot()], Settings(fallback: true), EveryPool(), Market(onDemandOffers: false));

        Assert.Equal(new BlockedReplacement("i-spot", BlockReasons.NoOnDemandType,
            "no other Spot pool qualified (no eligible Spot pool: 9 RiskFlagged) and no On-Demand type of the allowed families fits: "
            + "the node stays in us-east-1a/m5.xlarge, flagged by the hive mind"), Assert.Single(plan.Blocked));
    }

    [Fact]
    public void Plan_FlaggedSpotNodeWithFallbackOn_FallsBackToOnDemand()
    {
        var plan = Plan([Spot()], Settings(fallback: true), EveryPool());

        var replacement = Assert.Single(plan.Replacements);
        Assert.Equal((PurchaseOption.OnDemand, "m5.xlarge", "us-east-1a"),
            (replacement.TargetPurchase, replacement.Target.InstanceType, replacement.Target.AvailabilityZone));
        Assert.Empty(plan.Blocked);
    }

    [Fact]
    public void Plan_SavingBelowThreshold_SaysBothPricesAndTheThreshold()
    {
        var plan = Plan([OnDemand()], Settings(minSavings: 60), market: Market(m5SpotPrice: 0.18));

        Assert.Equal(new BlockedReplacement("i-od", BlockReasons.SavingsBelowThreshold,
            "moving from $0.192/h to us-east-1a/r5.xlarge at $0.08/h saves 58.3%, below the 60% threshold: the node stays On-Demand"),
            Assert.Single(plan.Blocked));
    }

    [Fact]
    public void Plan_TargetTooRisky_SaysThePoolItsRiskAndTheLimit()
    {
        var plan = Plan([OnDemand()], Settings(maxRisk: 0.2), risk: 0.3);

        Assert.Equal(new BlockedReplacement("i-od", BlockReasons.TargetRiskTooHigh,
            "the best-ranked Spot pool us-east-1a/m5.xlarge has interruption probability 0.30, above the strategy's limit of 0.20: "
            + "the node stays On-Demand (stability beats savings)"), Assert.Single(plan.Blocked));
    }

    [Fact]
    public void Plan_BudgetBaseChurnAndUnknownType_EachSaysItsCause()
    {
        var budgeted = Plan([.. Enumerable.Range(0, 8).Select(i => OnDemand($"i-od{i}"))], Settings(budget: 25));
        var based = Plan([OnDemand("i-od0"), OnDemand("i-od1")], Settings(onDemandBase: 1));
        var churned = Plan([Spot()], Settings(), EveryPool().Take(1).ToHashSet(), placed: new Dictionary<string, DateTimeOffset> { ["i-spot"] = Now.AddHours(-1) });
        var unknown = Plan([OnDemand(type: "x9.huge")], Settings());

        Assert.Equal(new BlockedReplacement("i-od2", BlockReasons.DisruptionBudget,
            "the disruption budget (25% of 8 nodes: 2 per run) is taken by the replacements planned before it"), budgeted.Blocked[0]);
        Assert.Equal(new BlockedReplacement("i-od1", BlockReasons.OnDemandBase,
            "1 On-Demand node(s) are kept as the cluster's stable base: the node stays On-Demand"), Assert.Single(based.Blocked));
        Assert.Equal(new BlockedReplacement("i-spot", BlockReasons.ChurnGuard,
            "placed by the optimizer at 2026-11-02T11:00:00.0000000+00:00, within the 6 h churn window"), Assert.Single(churned.Blocked));
        Assert.Equal(new BlockedReplacement("i-od", BlockReasons.UnknownType, "x9.huge is not in the market catalog"), Assert.Single(unknown.Blocked));
    }
}
