using SpotOptimizer.Optimization.Cluster;
using SpotOptimizer.Optimization.Market;
using SpotOptimizer.Optimization.Risk;
using SpotOptimizer.Optimization.Selection;

namespace SpotOptimizer.Optimization.Tests.Cluster;

/// <summary>The cluster plan passes AWS's Spot placement scores into every Spot decision: a crunched zone's pools fall out of reach.</summary>
public sealed class PlacementScoreOptimizerTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 2, 12, 0, 0, TimeSpan.Zero);
    private static readonly string[] Zones = ["us-east-1a", "us-east-1b", "us-east-1c"];

    private sealed class FixedRisk(double probability) : IInterruptionPredictor
    {
        public string Version => "fixed-1";

        public InterruptionPrediction Predict(InterruptionPredictionRequest request) =>
            new(PredictionIds.For(request, Version), probability, 0.9, InterruptionContract.ActionFor(probability));
    }

    [Fact]
    public void Plan_ZoneScoredOne_ItsPoolsPassTheRiskLimitAndTheNodesGoElsewhere()
    {
        var market = Market();
        var nodes = Enumerable.Range(0, 4).Select(i => new ClusterNode($"i-od{i:D2}", "m5.xlarge", Zones[i % 3], PurchaseOption.OnDemand, "general")).ToList();
        // 0.2 is within the default limit (0.35); at score 1 the hazard triples: 1 − 0.8³ ≈ 0.49, beyond it.
        var risk = new RiskAssessor(new FixedRisk(0.2), RiskReferenceData.Empty);
        var crunched = market.Pools.Where(p => p.Pool.AvailabilityZone == Zones[0]).ToDictionary(p => p.Pool, _ => 1);
        var request = new ClusterOptimizationRequest(nodes, market, new HashSet<SpotPoolId>(), new OptimizationSettings(DisruptionBudgetPercent: 100, MinOnDemandNodes: 0),
            new Dictionary<string, DateTimeOffset>(), Now);

        var unscored = ClusterOptimizer.Plan(request, risk);
        var scored = ClusterOptimizer.Plan(request with { PlacementScores = new PlacementScores(crunched, PlacementScorePolicy.Default) }, risk);

        Assert.Contains(unscored.Replacements, r => r.Target.AvailabilityZone == Zones[0]);
        Assert.Equal(unscored.Replacements.Count, scored.Replacements.Count);
        Assert.DoesNotContain(scored.Replacements, r => r.Target.AvailabilityZone == Zones[0]);
        Assert.All(scored.Replacements, r => Assert.Equal(0.2, r.TargetRisk, 6));
        Assert.Contains(scored.Notes, n => n.Contains("[PLACEMENT] risk of", StringComparison.Ordinal));
        Assert.DoesNotContain(unscored.Notes, n => n.Contains("[PLACEMENT]", StringComparison.Ordinal));
    }

    /// <summary>m5.xlarge and r5.xlarge in three zones, the first zone cheapest.</summary>
    private static MarketSnapshot Market()
    {
        var types = new[] { Catalog.Type("m5.xlarge", 4, 16), Catalog.Type("r5.xlarge", 4, 32) };
        var quotes = (from type in types
                      from zone in Zones
                      let price = (type.Name == "m5.xlarge" ? 0.07 : 0.08) + (Array.IndexOf(Zones, zone) * 0.002)
                      select new PoolQuote(new SpotPoolId(zone, type.Name), type, price, null, null, [price, price])).ToList();
        return new MarketSnapshot("us-east-1", Now, quotes, [new OnDemandOffer(types[0], 0.192), new OnDemandOffer(types[1], 0.252)]);
    }
}
