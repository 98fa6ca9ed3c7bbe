using SpotOptimizer.Optimization.Market;
using SpotOptimizer.Optimization.Risk;

namespace SpotOptimizer.Optimization.Selection;

/// <summary>
/// MOD-SPOT-01: ranks Spot pools for a workload and fills it. Flagged pools (hive mind) and pools the model says
/// to AVOID are dropped; the rest are scored <c>wₚ·price' + wᵣ·risk'</c> (lower is better), both on [0, 1]:
/// price' is the premium of the pool's price per unit over the cheapest eligible pool's (clamped at 100 %), risk'
/// the interruption probability itself. (Min–max scaling was rejected: one expensive pool in the set would shrink
/// every price gap between the cheap ones and hand the ranking to risk.) Pools are filled in tier order
/// (preferred → other zone → other family), best score first, each up to the policy's pool share; what Spot cannot
/// hold goes On-Demand when the policy allows it, else the selection reports the shortfall.
/// Deterministic: ties break on unit price, then pool name.
/// </summary>
public static class SpotSelector
{
    public const string AnyZone = "*";

    public static SpotSelection Select(
        WorkloadRequirements requirements,
        IReadOnlyList<PoolCandidate> candidates,
        IReadOnlyList<OnDemandOffer> onDemand,
        IReadOnlySet<SpotPoolId> flaggedPools,
        SelectionPolicy policy,
        IReadOnlyDictionary<SpotPoolId, int>? placedUnits = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(requirements.Count);
        if (policy.PriceWeight < 0 || policy.RiskWeight < 0 || policy.PriceWeight + policy.RiskWeight <= 0)
        {
            throw new ArgumentException("weights must be non-negative with a positive sum", nameof(policy));
        }

        var families = new HashSet<string>(requirements.Families, StringComparer.Ordinal);
        var fallbackFamilies = new HashSet<string>(policy.FallbackFamilies ?? [], StringComparer.Ordinal);
        var zones = requirements.AvailabilityZones is { } z ? new HashSet<string>(z, StringComparer.Ordinal) : null;
        var alreadyPlaced = 0;
        if (placedUnits is not null)
        {
            foreach (var units in placedUnits.Values) alreadyPlaced += units;
        }

        var poolCap = policy.MaxPoolShare >= 1
            ? int.MaxValue
            : Math.Max(1, (int)Math.Ceiling(policy.MaxPoolShare * (requirements.Count + alreadyPlaced) - 1e-9));

        var rejections = new List<PoolRejection>();
        var eligible = new Eligible[candidates.Count];
        var count = 0;
        var minPrice = double.MaxValue;
        for (var i = 0; i < candidates.Count; i++)
        {
            var c = candidates[i];
            var reason = Reject(c, requirements, policy, flaggedPools, families, fallbackFamilies, zones, out var tier, out var perNode);
            if (reason is { } r)
            {
                rejections.Add(new PoolRejection(c.Pool, r));
                continue;
            }

            var unitPrice = c.SpotPrice / perNode;
            var risk = Math.Clamp(c.InterruptionProbability, 0, 1);
            eligible[count++] = new Eligible(i, tier, perNode, unitPrice, risk);
            minPrice = Math.Min(minPrice, unitPrice);
        }

        var weightSum = policy.PriceWeight + policy.RiskWeight;
        var priceWeight = policy.PriceWeight / weightSum;
        var riskWeight = policy.RiskWeight / weightSum;
        for (var i = 0; i < count; i++)
        {
            ref var e = ref eligible[i];
            var premium = Math.Min(1, e.UnitPrice / minPrice - 1);
            e.Score = priceWeight * premium + riskWeight * e.Risk;
        }

        Order(eligible, count, candidates);
        var ranking = new RankedPool[count];
        var allocations = new List<PoolAllocation>();
        var remaining = requirements.Count;
        for (var i = 0; i < count; i++)
        {
            var e = eligible[i];
            var c = candidates[e.Index];
            ranking[i] = new RankedPool(c.Pool, e.Tier, e.UnitsPerNode, e.UnitPrice, e.Risk, e.Score);
            if (remaining <= 0) continue;
            // A pool may always hold one node, else a workload smaller than a node per share could never run on Spot.
            var room = poolCap == int.MaxValue ? int.MaxValue : Math.Max(poolCap, e.UnitsPerNode) - (placedUnits?.GetValueOrDefault(c.Pool) ?? 0);
            var nodes = Math.Min(room / e.UnitsPerNode, (remaining + e.UnitsPerNode - 1) / e.UnitsPerNode);
            if (nodes <= 0) continue;
            allocations.Add(new PoolAllocation(c.Pool, PurchaseOption.Spot, e.Tier, nodes, e.UnitsPerNode, c.SpotPrice, e.Risk, e.Score));
            remaining -= nodes * e.UnitsPerNode;
        }

        string? error = null;
        if (remaining > 0)
        {
            if (!policy.AllowOnDemandFallback)
            {
                error = $"{remaining} of {requirements.Count} units found no eligible Spot pool ({Summarise(rejections)}) and the policy does not allow On-Demand fallback";
            }
            else if (CheapestOnDemand(requirements, onDemand, families, fallbackFamilies) is { } offer)
            {
                var perNode = requirements.UnitsPerNode(offer.Type);
                var nodes = (remaining + perNode - 1) / perNode;
                allocations.Add(new PoolAllocation(new SpotPoolId(AnyZone, offer.Type.Name), PurchaseOption.OnDemand, SelectionTier.OnDemand, nodes, perNode, offer.PricePerHour, 0, null));
                remaining -= nodes * perNode;
            }
            else
            {
                error = $"{remaining} of {requirements.Count} units found no eligible Spot pool ({Summarise(rejections)}) and no On-Demand type of the allowed families fits";
            }
        }

        var outcome = remaining > 0 ? SelectionOutcome.InsufficientCapacity
            : allocations.Exists(a => a.Tier != SelectionTier.Preferred) ? SelectionOutcome.SatisfiedWithFallback
            : SelectionOutcome.Satisfied;
        return new SpotSelection(outcome, requirements.Count, requirements.Count - remaining, allocations, ranking, rejections, error);
    }

    private static RejectReason? Reject(
        PoolCandidate c,
        WorkloadRequirements requirements,
        SelectionPolicy policy,
        IReadOnlySet<SpotPoolId> flaggedPools,
        HashSet<string> families,
        HashSet<string> fallbackFamilies,
        HashSet<string>? zones,
        out SelectionTier tier,
        out int unitsPerNode)
    {
        tier = SelectionTier.Preferred;
        unitsPerNode = 0;
        if (flaggedPools.Contains(c.Pool)) return RejectReason.RiskFlagged;
        if (c.Type.Architecture != requirements.Architecture) return RejectReason.ArchitectureMismatch;
        if (families.Contains(c.Type.Family)) tier = SelectionTier.Preferred;
        else if (fallbackFamilies.Contains(c.Type.Family)) tier = SelectionTier.OtherFamily;
        else return RejectReason.FamilyNotAllowed;
        if (zones is not null && !zones.Contains(c.Pool.AvailabilityZone))
        {
            if (!policy.AllowOtherZones) return RejectReason.ZoneNotAllowed;
            if (tier == SelectionTier.Preferred) tier = SelectionTier.OtherZone;
        }

        if (!(c.SpotPrice > 0) || !double.IsFinite(c.SpotPrice)) return RejectReason.NoPrice;
        unitsPerNode = requirements.UnitsPerNode(c.Type);
        if (unitsPerNode < 1) return RejectReason.TooSmall;
        if (policy.ExcludeAvoid && InterruptionContract.ActionFor(c.InterruptionProbability) == RecommendedAction.Avoid) return RejectReason.PredictedAvoid;
        return null;
    }

    private static OnDemandOffer? CheapestOnDemand(WorkloadRequirements requirements, IReadOnlyList<OnDemandOffer> offers, HashSet<string> families, HashSet<string> fallbackFamilies)
    {
        OnDemandOffer? best = null;
        var bestTier = int.MaxValue;
        var bestUnitPrice = double.MaxValue;
        foreach (var offer in offers)
        {
            if (offer.Type.Architecture != requirements.Architecture || !(offer.PricePerHour > 0)) continue;
            var tier = families.Contains(offer.Type.Family) ? 0 : fallbackFamilies.Contains(offer.Type.Family) ? 1 : -1;
            if (tier < 0) continue;
            var perNode = requirements.UnitsPerNode(offer.Type);
            if (perNode < 1) continue;
            var unitPrice = offer.PricePerHour / perNode;
            if (tier < bestTier || (tier == bestTier && (unitPrice < bestUnitPrice || (unitPrice == bestUnitPrice && string.CompareOrdinal(offer.Type.Name, best!.Type.Name) < 0))))
            {
                best = offer;
                bestTier = tier;
                bestUnitPrice = unitPrice;
            }
        }

        return best;
    }

    private static string Summarise(List<PoolRejection> rejections) =>
        rejections.Count == 0
            ? "no candidates"
            : string.Join(", ", rejections.GroupBy(r => r.Reason).OrderBy(g => g.Key).Select(g => $"{g.Count()} {g.Key}"));

    private struct Eligible(int index, SelectionTier tier, int unitsPerNode, double unitPrice, double risk)
    {
        public readonly int Index = index;
        public readonly SelectionTier Tier = tier;
        public readonly int UnitsPerNode = unitsPerNode;
        public readonly double UnitPrice = unitPrice;
        public readonly double Risk = risk;
        public double Score;
    }

    /// <summary>
    /// Sorts by (tier, score) as one primitive key — scores lie in [0, 1], so <c>2·tier + score</c> keeps tiers apart —
    /// then orders runs of equal keys by the full comparer (unit price, then pool name): fast and deterministic.
    /// </summary>
    private static void Order(Eligible[] eligible, int count, IReadOnlyList<PoolCandidate> candidates)
    {
        var keys = new double[count];
        for (var i = 0; i < count; i++) keys[i] = 2 * (int)eligible[i].Tier + eligible[i].Score;
        Array.Sort(keys, eligible, 0, count);
        var comparer = new EligibleOrder(candidates);
        for (var start = 0; start < count;)
        {
            var end = start + 1;
            while (end < count && keys[end] == keys[start]) end++;
            if (end - start > 1) Array.Sort(eligible, start, end - start, comparer);
            start = end;
        }
    }

    private sealed class EligibleOrder(IReadOnlyList<PoolCandidate> candidates) : IComparer<Eligible>
    {
        public int Compare(Eligible x, Eligible y)
        {
            // Enum.CompareTo takes object: comparing the enums directly would box on every comparison.
            var c = ((int)x.Tier).CompareTo((int)y.Tier);
            if (c != 0) return c;
            c = x.Score.CompareTo(y.Score);
            if (c != 0) return c;
            c = x.UnitPrice.CompareTo(y.UnitPrice);
            return c != 0 ? c : candidates[x.Index].Pool.CompareTo(candidates[y.Index].Pool);
        }
    }
}
