using SpotOptimizer.Optimization.Cluster;
using SpotOptimizer.Optimization.Market;
using SpotOptimizer.Optimization.Risk;
using SpotOptimizer.Optimization.Selection;
using static SpotOptimizer.Optimization.Tests.Cluster.CommitmentAwareOptimizerTests;

namespace SpotOptimizer.Optimization.Tests.Cluster;

/// <summary>A node the customer pinned with spotoptimizer.io/do-not-disrupt is never planned, even out of a flagged pool.</summary>
public sealed class PinnedNodesOptimizerTests
{
    [Fact]
    public void Plan_PinnedNodes_BlockedWithDoNotDisrupt_OthersStillMove()
    {
        var nodes = new[]
        {
            new ClusterNode("i-pinned-od", "m5.xlarge", "us-east-1a", PurchaseOption.OnDemand, "general"),
            new ClusterNode("i-pinned-spot", "m5.xlarge", "us-east-1a", PurchaseOption.Spot, "general"),
            new ClusterNode("i-free", "m5.xlarge", "us-east-1b", PurchaseOption.OnDemand, "general"),
        };
        var flagged = new HashSet<SpotPoolId> { new("us-east-1a", "m5.xlarge") };
        var pinned = new HashSet<string>(["i-pinned-od", "i-pinned-spot"], StringComparer.Ordinal);

        var result = ClusterOptimizer.Plan(new ClusterOptimizationRequest(nodes, CommitmentAwareOptimizerTests.Market(), flagged,
            new OptimizationSettings(DisruptionBudgetPercent: 100, MinOnDemandNodes: 0), new Dictionary<string, DateTimeOffset>(), Now, DoNotDisrupt: pinned),
            new RiskAssessor(new FixedRisk(), RiskReferenceData.Empty));

        Assert.Equal(
            [("i-pinned-od", BlockReasons.DoNotDisrupt), ("i-pinned-spot", BlockReasons.DoNotDisrupt)],
            result.Blocked.Select(b => (b.InstanceId, b.Code)).OrderBy(b => b.InstanceId, StringComparer.Ordinal).ToList());
        Assert.Equal("i-free", Assert.Single(result.Replacements).Node.InstanceId);
    }
}
