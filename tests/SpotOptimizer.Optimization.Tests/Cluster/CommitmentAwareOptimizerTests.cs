using SpotOptimizer.Optimization.Cluster;
using SpotOptimizer.Optimization.Commitments;
using SpotOptimizer.Optimization.Market;
using SpotOptimizer.Optimization.Risk;
using SpotOptimizer.Optimization.Selection;

namespace SpotOptimizer.Optimization.Tests.Cluster;

/// <summary>Issue 14 item 5: an On-Demand node a commitment pays for is left alone; an uncovered one still moves to Spot.</summary>
public sealed class CommitmentAwareOptimizerTests
{
    internal static readonly DateTimeOffset Now = new(2026, 11, 2, 12, 0, 0, TimeSpan.Zero);

    internal static MarketSnapshot Market()
    {
        var type = Catalog.Type("m5.xlarge", 4, 16);
        return new MarketSnapshot("us-east-1", Now,
            [new PoolQuote(new SpotPoolId("us-east-1a", "m5.xlarge"), type, 0.07, 0.192, 1, [0.07, 0.07]),
             new PoolQuote(new SpotPoolId("us-east-1b", "m5.xlarge"), type, 0.071, 0.192, 1, [0.071, 0.071])],
            [new OnDemandOffer(type, 0.192)]);
    }

    [Fact]
    public void Plan_NodeCoveredBySavingsPlan_BlockedWithItsCode_UncoveredNodeReplaced()
    {
        var nodes = new[]
        {
            new ClusterNode("i-covered", "m5.xlarge", "us-east-1a", PurchaseOption.OnDemand, "general"),
            new ClusterNode("i-free", "m5.xlarge", "us-east-1b", PurchaseOption.OnDemand, "general"),
        };
        // A Compute Savings Plan at 28 % off committing exactly one m5.xlarge hour (0.192 × 0.72): i-covered (first by id) whole, nothing of i-free.
        var plan = new Commitment("sp-1", CommitmentKind.ComputeSavingsPlan, Now.AddMonths(-1), Now.AddYears(1), DiscountPercent: 28, HourlyCommitment: 0.192 * 0.72);
        var coverage = CommitmentCoverage.Compute([.. nodes.Select(n => new OnDemandUsage(n.InstanceId, n.InstanceType, "us-east-1", n.AvailabilityZone, 0.192))], [plan], Now);

        var result = ClusterOptimizer.Plan(new ClusterOptimizationRequest(nodes, Market(), new HashSet<SpotPoolId>(),
            new OptimizationSettings(DisruptionBudgetPercent: 100, MinOnDemandNodes: 0), new Dictionary<string, DateTimeOffset>(), Now, coverage.CoveredInstanceIds),
            new RiskAssessor(new FixedRisk(), RiskReferenceData.Empty));

        var blocked = Assert.Single(result.Blocked);
        Assert.Equal(("i-covered", BlockReasons.CoveredByCommitment), (blocked.InstanceId, blocked.Code));
        Assert.Contains("Savings Plan", blocked.Reason, StringComparison.Ordinal);
        Assert.Equal("i-free", Assert.Single(result.Replacements).Node.InstanceId);
    }

    [Fact]
    public void Plan_NoCoverageGiven_BothNodesMove()
    {
        var nodes = new[]
        {
            new ClusterNode("i-1", "m5.xlarge", "us-east-1a", PurchaseOption.OnDemand, "general"),
            new ClusterNode("i-2", "m5.xlarge", "us-east-1b", PurchaseOption.OnDemand, "general"),
        };

        var result = ClusterOptimizer.Plan(new ClusterOptimizationRequest(nodes, Market(), new HashSet<SpotPoolId>(),
            new OptimizationSettings(DisruptionBudgetPercent: 100, MinOnDemandNodes: 0), new Dictionary<string, DateTimeOffset>(), Now),
            new RiskAssessor(new FixedRisk(), RiskReferenceData.Empty));

        Assert.Equal(2, result.Replacements.Count);
        Assert.Empty(result.Blocked);
    }

    internal sealed class FixedRisk : IInterruptionPredictor
    {
        public string Version => "fixed-1";

        public InterruptionPrediction Predict(InterruptionPredictionRequest request) =>
            new(PredictionIds.For(request, Version), 0.05, 0.9, InterruptionContract.ActionFor(0.05));
    }
}
