using SpotOptimizer.Optimization.Market;
using SpotOptimizer.Optimization.Risk;
using SpotOptimizer.Optimization.Selection;

namespace SpotOptimizer.Optimization.Decision;

/// <summary>Nodes a workload runs in one pool, priced at the pool's current price.</summary>
public sealed record RunningPool(SpotPoolId Pool, PurchaseOption Purchase, int Nodes, int UnitsPerNode, double PricePerNodeHour)
{
    public double UnitPrice => PricePerNodeHour / UnitsPerNode;
}

/// <summary>
/// When moving running nodes pays: a node moves for price only if the saving per unit over
/// <see cref="PaybackHours"/> exceeds the cost of the move (<see cref="MoveOverheadHours"/> of the old node's price:
/// the new node boots while the old one drains) and the unit price drops by at least <see cref="MinUnitSavings"/>.
/// </summary>
public sealed record RebalancePolicy(double PaybackHours = 24, double MoveOverheadHours = 5.0 / 60, double MinUnitSavings = 0.03)
{
    public static RebalancePolicy Default { get; } = new();
}

public enum DrainReason
{
    RiskFlagged = 1,
    PredictedAvoid = 2,
    CheaperSpot = 3,
    BackToSpot = 4,
}

public sealed record DrainOrder(SpotPoolId Pool, PurchaseOption Purchase, int Nodes, DrainReason Reason);

/// <summary>
/// Which running nodes to replace, given a fresh decision for the whole workload (<c>ideal</c>): nodes in flagged
/// or AVOID pools always (stability beats savings); other nodes only when the move pays back against the most
/// expensive pool the ideal decision still uses. The caller drains these and fills the gap with a decision that
/// counts the kept nodes as placed.
/// </summary>
public static class RebalancePlanner
{
    public static IReadOnlyList<DrainOrder> Plan(IReadOnlyList<RunningPool> fleet, SpotDecision ideal, IReadOnlySet<SpotPoolId> flaggedPools, RebalancePolicy policy)
    {
        var spotTargets = ideal.Selection.Allocations.Where(a => a.Purchase == PurchaseOption.Spot).ToList();
        var marginalUnitPrice = spotTargets.Count > 0 ? spotTargets.Max(a => a.PricePerNodeHour / a.UnitsPerNode) : double.NaN;
        var orders = new List<DrainOrder>();
        foreach (var running in fleet)
        {
            if (running.Nodes <= 0) continue;
            if (running.Purchase == PurchaseOption.Spot)
            {
                if (flaggedPools.Contains(running.Pool))
                {
                    orders.Add(new DrainOrder(running.Pool, running.Purchase, running.Nodes, DrainReason.RiskFlagged));
                    continue;
                }

                if (ideal.PoolRisks.TryGetValue(running.Pool, out var risk) && InterruptionContract.ActionFor(risk) == RecommendedAction.Avoid)
                {
                    orders.Add(new DrainOrder(running.Pool, running.Purchase, running.Nodes, DrainReason.PredictedAvoid));
                    continue;
                }
            }

            if (double.IsNaN(marginalUnitPrice) || !Pays(running.UnitPrice, marginalUnitPrice, policy)) continue;
            var reason = running.Purchase == PurchaseOption.OnDemand ? DrainReason.BackToSpot : DrainReason.CheaperSpot;
            orders.Add(new DrainOrder(running.Pool, running.Purchase, running.Nodes, reason));
        }

        return orders;
    }

    private static bool Pays(double currentUnitPrice, double targetUnitPrice, RebalancePolicy policy) =>
        targetUnitPrice < currentUnitPrice * (1 - policy.MinUnitSavings)
        && (currentUnitPrice - targetUnitPrice) * policy.PaybackHours > currentUnitPrice * policy.MoveOverheadHours;
}
