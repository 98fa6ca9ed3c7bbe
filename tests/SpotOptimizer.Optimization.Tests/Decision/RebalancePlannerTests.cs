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

    private static SpotSelection Bought(params PoolAllocation[] allocations) =>
        new(SelectionOutcome.Satisfied, allocations.Sum(a => a.Units), allocations.Sum(a => a.Units), allocations, [], [], null);

    private static PoolAllocation Spot(SpotPoolId pool, int nodes, int unitsPerNode, double pricePerNode) =>
        new(pool, PurchaseOption.Spot, SelectionTier.Preferred, nodes, unitsPerNode, pricePerNode, 0.02, 0);

    [Fact]
    public void PlanVerified_ReplacementBuysTheSameNodeAgain_NotMoved()
    {
        // Dearer per unit than the ideal's pools, yet what the replacement decision buys for its units is itself:
        // the unit-price screen alone would drain and relaunch it every hour.
        var fleet = new[] { new RunningPool(Cheap, PurchaseOption.Spot, 2, 2, 0.06), new RunningPool(Dear, PurchaseOption.Spot, 1, 2, 0.08) };

        var orders = RebalancePlanner.PlanVerified(fleet, Ideal(0.03), new HashSet<SpotPoolId>(), RebalancePolicy.Default, 6, (_, _) => Bought(Spot(Dear, 1, 2, 0.08)));

        Assert.NotEmpty(RebalancePlanner.Plan(fleet, Ideal(0.03), new HashSet<SpotPoolId>(), RebalancePolicy.Default));
        Assert.Empty(orders);
    }

    [Fact]
    public void PlanVerified_ReplacementReallyCheaper_MovedAndAskedForTheFreedUnitsOnly()
    {
        var fleet = new[] { new RunningPool(Cheap, PurchaseOption.Spot, 2, 2, 0.06), new RunningPool(Dear, PurchaseOption.Spot, 1, 2, 0.08) };
        var asked = new List<(int Units, Dictionary<SpotPoolId, int> Placed)>();

        var orders = RebalancePlanner.PlanVerified(fleet, Ideal(0.03), new HashSet<SpotPoolId>(), RebalancePolicy.Default, 6, (units, placed) =>
        {
            asked.Add((units, placed.ToDictionary()));
            return Bought(Spot(Cheap, 1, 2, 0.06));
        });

        Assert.Equal(new DrainOrder(Dear, PurchaseOption.Spot, 1, DrainReason.CheaperSpot), Assert.Single(orders));
        var (units, placed) = Assert.Single(asked);
        Assert.Equal(2, units);
        Assert.Equal(new Dictionary<SpotPoolId, int> { [Cheap] = 4 }, placed);
    }

    [Fact]
    public void PlanVerified_FlaggedPool_DrainedEvenWhenItsReplacementCostsMore()
    {
        var fleet = new[] { new RunningPool(Cheap, PurchaseOption.Spot, 2, 2, 0.06) };

        var orders = RebalancePlanner.PlanVerified(fleet, Ideal(0.03), new HashSet<SpotPoolId> { Cheap }, RebalancePolicy.Default, 4, (_, _) => Bought(Spot(Dear, 2, 2, 0.5)));

        Assert.Equal(DrainReason.RiskFlagged, Assert.Single(orders).Reason);
    }

    [Fact]
    public void PlanVerified_NoReplacementPossible_NotMoved()
    {
        var fleet = new[] { new RunningPool(Dear, PurchaseOption.Spot, 1, 2, 0.08) };
        var none = new SpotSelection(SelectionOutcome.InsufficientCapacity, 2, 0, [], [], [], "no pool");

        Assert.Empty(RebalancePlanner.PlanVerified(fleet, Ideal(0.03), new HashSet<SpotPoolId>(), RebalancePolicy.Default, 2, (_, _) => none));
    }

    [Theory]
    [InlineData(true, 1)]
    [InlineData(false, 0)]
    public void Plan_IdealCoversARemainderWithASmallNode_ItsUnitPriceIsNotTheMarginal(bool coversRemainder, int orders)
    {
        // The ideal buys its bulk at 0.03 per unit and one small node at 0.05 per unit for the remainder: a running
        // pool at 0.045 per unit is dear against the bulk, not against the small node.
        var small = new SpotPoolId("az-c", "m5.large");
        var ideal = Ideal(0.03) with
        {
            Selection = Ideal(0.03).Selection with
            {
                Allocations = [.. Ideal(0.03).Selection.Allocations, Spot(small, 1, 1, 0.05) with { CoversRemainder = coversRemainder }],
            },
        };
        var fleet = new[] { new RunningPool(Dear, PurchaseOption.Spot, 2, 2, 0.09) };

        Assert.Equal(orders, RebalancePlanner.Plan(fleet, ideal, new HashSet<SpotPoolId>(), RebalancePolicy.Default).Count);
    }

    [Fact]
    public void PlanVerified_PriceSpike_MovesOutOnlyWithinTheExtraCostAllowed()
    {
        // Dear's price stands 5 % over its 24 h minimum; its two nodes cost 0.124/h and the replacement 0.126/h (+1.6 %).
        var fleet = new[] { new RunningPool(Dear, PurchaseOption.Spot, 2, 2, 0.062) };
        var ideal = Ideal(0.0315) with { PriceRises = new Dictionary<SpotPoolId, double> { [Dear] = 0.05 } };
        SpotSelection Replace(int units, IReadOnlyDictionary<SpotPoolId, int> placed) =>
            new(SelectionOutcome.Satisfied, units, units, [new PoolAllocation(Cheap, PurchaseOption.Spot, SelectionTier.Preferred, units / 2, 2, 0.063, 0.02, 0)], [], [], null);

        var balanced = RebalancePlanner.PlanVerified(fleet, ideal, new HashSet<SpotPoolId>(), RebalancePolicy.Default, 4, Replace);
        var stability = RebalancePlanner.PlanVerified(fleet, ideal, new HashSet<SpotPoolId>(), RebalancePolicy.Stability, 4, Replace);
        var calm = RebalancePlanner.PlanVerified(fleet, Ideal(0.0315), new HashSet<SpotPoolId>(), RebalancePolicy.Stability, 4, Replace);

        Assert.Empty(balanced);
        Assert.Equal(new DrainOrder(Dear, PurchaseOption.Spot, 2, DrainReason.PriceSpike), Assert.Single(stability));
        Assert.Empty(calm);
    }
}
