using SpotOptimizer.Optimization.Decision;
using SpotOptimizer.Optimization.Market;
using SpotOptimizer.Optimization.Risk;
using SpotOptimizer.Optimization.Selection;

namespace SpotOptimizer.Optimization.Tests.Decision;

public sealed class RebalancePlannerTests
{
    private static readonly SpotPoolId Cheap = new("az-a", "c5.xlarge");
    private static readonly SpotPoolId Dear = new("az-b", "m5.xlarge");

    private static SpotDecision Ideal(double cheapUnitPrice, Dictionary<SpotPoolId, double>? risks = null) => new(
        DateTimeOffset.UnixEpoch,
        new SpotSelection(SelectionOutcome.Satisfied, 4, 4, [new PoolAllocation(Cheap, PurchaseOption.Spot, SelectionTier.Preferred, 2, 2, cheapUnitPrice * 2, 0.02, 0)], [], [], null),
        RiskSource.Model,
        "m",
        false,
        [],
        risks ?? new Dictionary<SpotPoolId, double>());

    [Fact]
    public void Plan_FlaggedPool_DrainedWhateverThePrice()
    {
        var fleet = new[] { new RunningPool(Cheap, PurchaseOption.Spot, 2, 2, 0.06) };

        var orders = RebalancePlanner.Plan(fleet, Ideal(0.03), new HashSet<SpotPoolId> { Cheap }, RebalancePolicy.Default);

        Assert.Equal(new DrainOrder(Cheap, PurchaseOption.Spot, 2, DrainReason.RiskFlagged), Assert.Single(orders));
    }

    [Fact]
    public void Plan_PoolPredictedAvoid_Drained()
    {
        var fleet = new[] { new RunningPool(Dear, PurchaseOption.Spot, 1, 2, 0.062) };

        var orders = RebalancePlanner.Plan(fleet, Ideal(0.03, new() { [Dear] = 0.7 }), new HashSet<SpotPoolId>(), RebalancePolicy.Default);

        Assert.Equal(DrainReason.PredictedAvoid, Assert.Single(orders).Reason);
    }

    [Fact]
    public void Plan_MuchCheaperTarget_Drained()
    {
        var fleet = new[] { new RunningPool(Dear, PurchaseOption.Spot, 3, 2, 0.08) };

        var orders = RebalancePlanner.Plan(fleet, Ideal(0.03), new HashSet<SpotPoolId>(), RebalancePolicy.Default);

        Assert.Equal(new DrainOrder(Dear, PurchaseOption.Spot, 3, DrainReason.CheaperSpot), Assert.Single(orders));
    }

    [Fact]
    public void Plan_SavingBelowThreshold_Kept()
    {
        var fleet = new[] { new RunningPool(Dear, PurchaseOption.Spot, 3, 2, 0.0615) };

        Assert.Empty(RebalancePlanner.Plan(fleet, Ideal(0.03), new HashSet<SpotPoolId>(), RebalancePolicy.Default));
    }

    [Fact]
    public void Plan_OnDemandWhileSpotIsBack_DrainedBackToSpot()
    {
        var fleet = new[] { new RunningPool(new SpotPoolId(SpotSelector.AnyZone, "c5.xlarge"), PurchaseOption.OnDemand, 2, 2, 0.17) };

        Assert.Equal(DrainReason.BackToSpot, Assert.Single(RebalancePlanner.Plan(fleet, Ideal(0.03), new HashSet<SpotPoolId>(), RebalancePolicy.Default)).Reason);
    }
}
