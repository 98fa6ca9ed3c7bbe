using SpotOptimizer.Optimization.Market;
using SpotOptimizer.Optimization.Risk;

namespace SpotOptimizer.Optimization.Selection;

/// <summary>
/// MOD-SPOT-01: ranks Spot pools for a workload and fills it. Flagged pools (hive mind) and pools the model says
/// to AVOID are dropped; the rest are scored <c>wₚ·price' + wᵣ·risk'</c> (lower is better), both on [0, 1]:
/// price' is the premium of the pool's price per unit over the cheapest eligible pool's (clamped at 100 %), risk'
/// the interruption probability itself. (Min–max scaling was rejected: one expensive pool in the set would shrink
/// every price gap between the cheap ones and hand the ranking to risk.) Pools are filled in tier order
/// (preferred → other zone → other family) and, with <see cref="SelectionPolicy.CapacityTierFirst"/>, Spot Advisor
/// bucket then calm before spiking prices within a tier, best score first, each up to the pool share (the policy's or a
/// workload's stricter one) and a workload's zone spread, with whole nodes;
/// a remainder smaller than a node goes to the cheapest cover of its tier (see <see cref="Fill"/>); what Spot cannot
/// hold goes On-Demand when the policy allows it, else the selection reports the shortfall. With
/// <see cref="SelectionPolicy.BestCapacityTierOnly"/> only the best Spot Advisor bucket of each tier is ranked.
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

        var share = PoolShare(policy, requirements.Spread);
        var poolCap = share >= 1
            ? int.MaxValue
            : Math.Max(1, (int)Math.Ceiling(share * (requirements.Count + alreadyPlaced) - 1e-9));

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
            eligible[count++] = new Eligible(i, tier, perNode, unitPrice, risk, Group(tier, c, policy));
        }

        if (policy.BestCapacityTierOnly) count = KeepBestCapacityTier(eligible, count, candidates, rejections);
        for (var i = 0; i < count; i++) minPrice = Math.Min(minPrice, eligible[i].UnitPrice);

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
        for (var i = 0; i < count; i++)
        {
            var e = eligible[i];
            ranking[i] = new RankedPool(candidates[e.Index].Pool, e.Tier, e.UnitsPerNode, e.UnitPrice, e.Risk, e.Score);
        }

        var zoneCaps = ZoneCapsFor(requirements, eligible, count, candidates, alreadyPlaced);
        var nodesIn = Fill(eligible, count, candidates, requirements.Count, poolCap, zoneCaps, placedUnits, priceWeight > 0 ? minPrice * riskWeight / priceWeight : double.NaN, out var remaining, out var cover);
        var allocations = new List<PoolAllocation>();
        for (var i = 0; i < count; i++)
        {
            if (nodesIn[i] == 0) continue;
            var e = eligible[i];
            var c = candidates[e.Index];
            allocations.Add(new PoolAllocation(c.Pool, PurchaseOption.Spot, e.Tier, nodesIn[i], e.UnitsPerNode, c.SpotPrice, e.Risk, e.Score, i == cover));
        }

        // Said before any fallback fills the gap: what Spot alone could not do, in words true whatever the caller does next.
        var spotShortfall = remaining > 0 ? Shortfall(count, rejections, policy) : null;
        string? error = null;
        if (remaining > 0)
        {
            if (!policy.AllowOnDemandFallback)
            {
                error = $"{remaining} of {requirements.Count} units did not fit on Spot ({spotShortfall}) and this selection was asked not to fall back to On-Demand";
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
                error = $"{remaining} of {requirements.Count} units did not fit on Spot ({spotShortfall}) and no On-Demand type of the allowed families fits";
            }
        }

        var outcome = remaining > 0 ? SelectionOutcome.InsufficientCapacity
            : allocations.Exists(a => a.Tier != SelectionTier.Preferred) ? SelectionOutcome.SatisfiedWithFallback
            : SelectionOutcome.Satisfied;
        return new SpotSelection(outcome, requirements.Count, requirements.Count - remaining, allocations, ranking, rejections, error, spotShortfall);
    }

    /// <summary>
    /// Nodes per ranked pool: whole nodes best score first, each pool up to the cap. When less than one node of the
    /// current pool is left to place, it goes where covering it costs least among the pools of the same tier with
    /// room — often a smaller size: five pods do not need a fifteen-pod node, which the bulk's per-unit price would
    /// buy. A cover is costed as its price plus the risk charge the score implies (<paramref name="riskCharge"/> USD
    /// per unit held and unit of probability, so that price and risk trade as in the ranking); NaN (risk-only
    /// weights): rank order decides. <paramref name="cover"/>: the index of a pool that holds only the remainder, or −1.
    /// </summary>
    private static int[] Fill(Eligible[] eligible, int count, IReadOnlyList<PoolCandidate> candidates, int units, int poolCap, ZoneCaps? zones, IReadOnlyDictionary<SpotPoolId, int>? placedUnits, double riskCharge, out int remaining, out int cover)
    {
        var nodesIn = new int[count];
        remaining = units;
        cover = -1;
        for (var i = 0; i < count && remaining > 0; i++)
        {
            var perNode = eligible[i].UnitsPerNode;
            var room = Room(i);
            var whole = Math.Min(room, remaining / perNode);
            nodesIn[i] = whole;
            zones?.Add(candidates[eligible[i].Index].Pool, whole * perNode);
            remaining -= whole * perNode;
            if (remaining <= 0 || room <= whole) continue;

            var best = i;
            var bestNodes = 1;
            var bestCost = double.PositiveInfinity;
            for (var j = i; j < count && eligible[j].Group == eligible[i].Group && !double.IsNaN(riskCharge); j++)
            {
                var need = (remaining + eligible[j].UnitsPerNode - 1) / eligible[j].UnitsPerNode;
                if (Room(j) - nodesIn[j] < need) continue;
                var cost = need * (candidates[eligible[j].Index].SpotPrice + eligible[j].UnitsPerNode * riskCharge * eligible[j].Risk);
                if (cost < bestCost)
                {
                    (best, bestNodes, bestCost) = (j, need, cost);
                }
            }

            nodesIn[best] += bestNodes;
            zones?.Add(candidates[eligible[best].Index].Pool, bestNodes * eligible[best].UnitsPerNode);
            remaining -= bestNodes * eligible[best].UnitsPerNode;
            if (best != i) cover = best;
        }

        return nodesIn;

        // Whole nodes the pool may hold in all (a pool may always hold one node, else a workload smaller than a node
        // per share could never run on Spot).
        int Room(int k)
        {
            var perNode = eligible[k].UnitsPerNode;
            var pool = candidates[eligible[k].Index].Pool;
            var room = poolCap == int.MaxValue
                ? int.MaxValue
                : Math.Max(0, Math.Max(poolCap, perNode) - (placedUnits?.GetValueOrDefault(pool) ?? 0)) / perNode;
            // Nodes already counted in this pool by this fill still use the zone's room: the zone cap is on the zone's total.
            return zones is null ? room : Math.Min(room, nodesIn[k] + zones.Room(pool) / perNode);
        }
    }

    /// <summary>
    /// Drops, per fallback tier, the eligible pools whose Spot Advisor bucket is worse than the tier's best (an unknown
    /// bucket counts as worse than any known one). Returns the new count; the kept pools stay in their order.
    /// </summary>
    private static int KeepBestCapacityTier(Eligible[] eligible, int count, IReadOnlyList<PoolCandidate> candidates, List<PoolRejection> rejections)
    {
        const int Unknown = int.MaxValue;
        Span<int> best = stackalloc int[(int)SelectionTier.OnDemand + 1];
        best.Fill(Unknown);
        for (var i = 0; i < count; i++)
        {
            var tier = (int)eligible[i].Tier;
            best[tier] = Math.Min(best[tier], candidates[eligible[i].Index].InterruptionBucket ?? Unknown);
        }

        var kept = 0;
        for (var i = 0; i < count; i++)
        {
            var candidate = candidates[eligible[i].Index];
            if ((candidate.InterruptionBucket ?? Unknown) > best[(int)eligible[i].Tier])
            {
                rejections.Add(new PoolRejection(candidate.Pool, RejectReason.WorseCapacityTier));
                continue;
            }

            eligible[kept++] = eligible[i];
        }

        return kept;
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

    /// <summary>
    /// Why Spot fell short: no pool was eligible (each rejection counted by reason), or the eligible pools were full at
    /// the pool share (blast radius) — two different causes a customer acts on differently.
    /// </summary>
    private static string Shortfall(int eligible, List<PoolRejection> rejections, SelectionPolicy policy)
    {
        if (eligible == 0) return "no eligible Spot pool: " + Summarise(rejections);
        var full = FormattableString.Invariant($"{eligible} eligible Spot pool{(eligible == 1 ? " is" : "s are")} full at the {policy.MaxPoolShare * 100:0.#}% pool share");
        return rejections.Count == 0 ? full : $"{full}; rejected: {Summarise(rejections)}";
    }

    private static string Summarise(List<PoolRejection> rejections) =>
        rejections.Count == 0
            ? "no candidates"
            : string.Join(", ", rejections.GroupBy(r => r.Reason).OrderBy(g => g.Key).Select(g => $"{g.Count()} {g.Key}"));

    /// <summary>
    /// The strictest pool share of the policy and of the workloads in the units: every workload's replicas are spread
    /// over the nodes, so capping the pool's share of all units caps each workload's share in it.
    /// </summary>
    private static double PoolShare(SelectionPolicy policy, IReadOnlyList<WorkloadSpread>? spread)
    {
        var share = policy.MaxPoolShare;
        foreach (var w in spread ?? [])
        {
            if (w.MaxPoolShare is { } s) share = Math.Min(share, s);
        }

        if (!(share > 0)) throw new ArgumentException("the max pool share must be positive", nameof(policy));
        return share;
    }

    /// <summary>
    /// Ranking group within a fallback tier (lower first): the Spot Advisor bucket when <see cref="SelectionPolicy.CapacityTierFirst"/>
    /// (unknown after every known bucket), then calm pools before those whose price climbed past the spike threshold.
    /// </summary>
    private static int Group(SelectionTier tier, PoolCandidate c, SelectionPolicy policy)
    {
        var bucket = policy.CapacityTierFirst ? Math.Clamp(c.InterruptionBucket ?? 5, 0, 5) / Math.Max(1, policy.CapacityTierWidth) : 0;
        var spiking = policy.PriceSpikeThreshold > 0 && c.PriceRise >= policy.PriceSpikeThreshold - 1e-12 ? 1 : 0;
        return ((int)tier * 6 + bucket) * 2 + spiking;
    }

    /// <summary>
    /// A topology spread over zones (the strictest max skew among the workloads): with Z zones on offer, no zone may
    /// hold more than ⌈n/Z⌉ + skew units, so that an even spread of every workload fits. Null when no workload asks.
    /// </summary>
    private static ZoneCaps? ZoneCapsFor(WorkloadRequirements requirements, Eligible[] eligible, int count, IReadOnlyList<PoolCandidate> candidates, int alreadyPlaced)
    {
        int? skew = null;
        foreach (var w in requirements.Spread ?? [])
        {
            if (w.ZoneMaxSkew is { } s) skew = Math.Min(skew ?? int.MaxValue, Math.Max(1, s));
        }

        if (skew is not { } maxSkew) return null;
        var zones = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < count; i++) zones.Add(candidates[eligible[i].Index].Pool.AvailabilityZone);
        if (zones.Count == 0) return null;
        var total = requirements.Count + alreadyPlaced;
        return new ZoneCaps((total + zones.Count - 1) / zones.Count + maxSkew);
    }

    /// <summary>Units per zone against a cap (placed units of other calls are not counted: they were spread when they were chosen).</summary>
    private sealed class ZoneCaps(int cap)
    {
        private readonly Dictionary<string, int> _used = new(StringComparer.Ordinal);

        public int Room(SpotPoolId pool) => Math.Max(0, cap - _used.GetValueOrDefault(pool.AvailabilityZone));

        public void Add(SpotPoolId pool, int units) => _used[pool.AvailabilityZone] = _used.GetValueOrDefault(pool.AvailabilityZone) + units;
    }

    private struct Eligible(int index, SelectionTier tier, int unitsPerNode, double unitPrice, double risk, int group)
    {
        public readonly int Index = index;
        public readonly int Group = group;
        public readonly SelectionTier Tier = tier;
        public readonly int UnitsPerNode = unitsPerNode;
        public readonly double UnitPrice = unitPrice;
        public readonly double Risk = risk;
        public double Score;
    }

    /// <summary>
    /// Sorts by (group, score) as one primitive key — scores lie in [0, 1], so <c>2·group + score</c> keeps groups apart —
    /// then orders runs of equal keys by the full comparer (unit price, then pool name): fast and deterministic.
    /// </summary>
    private static void Order(Eligible[] eligible, int count, IReadOnlyList<PoolCandidate> candidates)
    {
        var keys = new double[count];
        for (var i = 0; i < count; i++) keys[i] = 2 * eligible[i].Group + eligible[i].Score;
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
            var c = x.Group.CompareTo(y.Group);
            if (c != 0) return c;
            c = x.Score.CompareTo(y.Score);
            if (c != 0) return c;
            // Same score: the larger node, fewer nodes for the same pods to lose to reclaims.
            c = y.UnitsPerNode.CompareTo(x.UnitsPerNode);
            if (c != 0) return c;
            c = x.UnitPrice.CompareTo(y.UnitPrice);
            return c != 0 ? c : candidates[x.Index].Pool.CompareTo(candidates[y.Index].Pool);
        }
    }
}
