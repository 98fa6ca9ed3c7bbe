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
/// When moving running nodes pays: a node moves for price only if the saving over <see cref="PaybackHours"/> exceeds
/// the cost of the move (<see cref="MoveOverheadHours"/> of the old node's price: the new node boots while the old one
/// drains) and the price drops by at least <see cref="MinUnitSavings"/> (per unit against the ideal decision; of the
/// moved nodes' hourly cost once the real replacement is known, see <see cref="RebalancePlanner.PlanVerified"/>).
/// Nodes in a pool whose price has climbed <see cref="PriceSpikeThreshold"/> or more above its minimum of the last 24 h
/// (capacity visibly tightening; 0: never) move out when the real replacement raises the fleet's hourly cost by at most
/// <see cref="SpikeMoveExtraCost"/> of the moved nodes' cost: stability beats savings, within a stated price.
/// </summary>
public sealed record RebalancePolicy(
    double PaybackHours = 24,
    double MoveOverheadHours = 5.0 / 60,
    double MinUnitSavings = 0.03,
    double PriceSpikeThreshold = 0.03,
    double SpikeMoveExtraCost = 0.0)
{
    public static RebalancePolicy Default { get; } = new();

    /// <summary>
    /// The "stability" strategy's: out of a spiking pool even when the replacement costs up to 5 % of the moved nodes'
    /// price more per hour (a price climbing out of its floor multiplies the hazard; a few percent buys the way out).
    /// </summary>
    public static RebalancePolicy Stability { get; } = new(SpikeMoveExtraCost: 0.05);
}

public enum DrainReason
{
    RiskFlagged = 1,
    PredictedAvoid = 2,
    CheaperSpot = 3,
    BackToSpot = 4,
    PriceSpike = 5,
}

public sealed record DrainOrder(SpotPoolId Pool, PurchaseOption Purchase, int Nodes, DrainReason Reason);

/// <summary>
/// Which running nodes to replace, given a fresh decision for the whole workload (<c>ideal</c>): nodes in flagged
/// or AVOID pools always (stability beats savings); other nodes only when the move pays back against the most
/// expensive pool the ideal decision still uses for whole nodes (not one covering a remainder). The caller drains
/// these and fills the gap with a decision that counts the kept nodes as placed.
/// </summary>
public static class RebalancePlanner
{
    public static IReadOnlyList<DrainOrder> Plan(IReadOnlyList<RunningPool> fleet, SpotDecision ideal, IReadOnlySet<SpotPoolId> flaggedPools, RebalancePolicy policy)
    {
        // A pool covering only the remainder is dearer per unit by its size, not its market: it would hide cheaper moves
        // (unless it is all the ideal buys: a workload smaller than a node).
        var spotTargets = ideal.Selection.Allocations.Where(a => a.Purchase == PurchaseOption.Spot && !a.CoversRemainder).ToList();
        if (spotTargets.Count == 0) spotTargets = ideal.Selection.Allocations.Where(a => a.Purchase == PurchaseOption.Spot).ToList();
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

            if (running.Purchase == PurchaseOption.Spot && policy.PriceSpikeThreshold > 0
                && ideal.PriceRises.TryGetValue(running.Pool, out var rise) && rise >= policy.PriceSpikeThreshold - 1e-12)
            {
                orders.Add(new DrainOrder(running.Pool, running.Purchase, running.Nodes, DrainReason.PriceSpike));
                continue;
            }

            if (double.IsNaN(marginalUnitPrice) || !Pays(running.UnitPrice, marginalUnitPrice, policy)) continue;
            var reason = running.Purchase == PurchaseOption.OnDemand ? DrainReason.BackToSpot : DrainReason.CheaperSpot;
            orders.Add(new DrainOrder(running.Pool, running.Purchase, running.Nodes, reason));
        }

        return orders;
    }

    /// <summary>
    /// <see cref="Plan"/>, then each price-driven order is kept only if the fleet's hourly cost with its real
    /// replacement drops enough to pay for the move (safety orders always stand). The ideal's marginal unit price is
    /// only a screen: the units a drain frees are replaced by a decision over what is left, which may buy something
    /// else than the ideal did for the same pool — a remainder smaller than a node, say, is covered by a smaller
    /// node, dearer per unit yet cheapest for what it holds, and moving it for its unit price would buy it again every
    /// hour. <paramref name="replace"/> decides the replacement of a number of units with the kept Spot nodes' units
    /// counted as placed (the caller's decision engine); orders are tried in fleet order, each on top of those kept.
    /// </summary>
    public static IReadOnlyList<DrainOrder> PlanVerified(
        IReadOnlyList<RunningPool> fleet,
        SpotDecision ideal,
        IReadOnlySet<SpotPoolId> flaggedPools,
        RebalancePolicy policy,
        int workloadUnits,
        Func<int, IReadOnlyDictionary<SpotPoolId, int>, SpotSelection> replace)
    {
        var orders = Plan(fleet, ideal, flaggedPools, policy);
        var kept = orders.Where(o => o.Reason is DrainReason.RiskFlagged or DrainReason.PredictedAvoid).ToList();
        if (kept.Count == orders.Count) return orders;
        var cost = HourlyCostAfter(fleet, kept, workloadUnits, replace);
        foreach (var order in orders.Where(o => o.Reason is DrainReason.CheaperSpot or DrainReason.BackToSpot or DrainReason.PriceSpike))
        {
            var moved = order.Nodes * fleet.First(r => r.Pool == order.Pool && r.Purchase == order.Purchase).PricePerNodeHour;
            var after = HourlyCostAfter(fleet, [.. kept, order], workloadUnits, replace);
            var saving = cost - after;
            if (order.Reason == DrainReason.PriceSpike ? !(saving >= -moved * policy.SpikeMoveExtraCost) : saving < moved * policy.MinUnitSavings || saving * policy.PaybackHours <= moved * policy.MoveOverheadHours) continue;
            kept.Add(order);
            cost = after;
        }

        return kept;
    }

    /// <summary>The fleet's hourly cost once <paramref name="drains"/> are replaced (infinite when they cannot be).</summary>
    private static double HourlyCostAfter(IReadOnlyList<RunningPool> fleet, IReadOnlyList<DrainOrder> drains, int workloadUnits, Func<int, IReadOnlyDictionary<SpotPoolId, int>, SpotSelection> replace)
    {
        var cost = 0.0;
        var units = 0;
        var placed = new Dictionary<SpotPoolId, int>();
        foreach (var running in fleet)
        {
            var nodes = running.Nodes;
            foreach (var d in drains)
            {
                if (d.Pool == running.Pool && d.Purchase == running.Purchase) nodes -= d.Nodes;
            }

            if (nodes <= 0) continue;
            cost += nodes * running.PricePerNodeHour;
            units += nodes * running.UnitsPerNode;
            if (running.Purchase == PurchaseOption.Spot) placed[running.Pool] = placed.GetValueOrDefault(running.Pool) + nodes * running.UnitsPerNode;
        }

        if (units >= workloadUnits) return cost;
        var replacement = replace(workloadUnits - units, placed);
        return replacement.Outcome == SelectionOutcome.InsufficientCapacity ? double.PositiveInfinity : cost + replacement.HourlyCost;
    }

    private static bool Pays(double currentUnitPrice, double targetUnitPrice, RebalancePolicy policy) =>
        targetUnitPrice < currentUnitPrice * (1 - policy.MinUnitSavings)
        && (currentUnitPrice - targetUnitPrice) * policy.PaybackHours > currentUnitPrice * policy.MoveOverheadHours;
}
