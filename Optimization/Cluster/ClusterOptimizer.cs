using SpotOptimizer.Optimization.Decision;
using SpotOptimizer.Optimization.Market;
using SpotOptimizer.Optimization.Risk;
using SpotOptimizer.Optimization.Selection;
using static System.FormattableString;

namespace SpotOptimizer.Optimization.Cluster;

/// <summary>
/// CORE-DECIDE for one cluster: which nodes to replace now, and with what. Stability first: Spot nodes in flagged or
/// AVOID pools move before any saving is chased. On-Demand nodes move to Spot only when the target's interruption
/// probability is at most <see cref="OptimizationSettings.MaxTargetRisk"/> and the saving clears the threshold.
/// A node we placed within the churn window stays put; an On-Demand node a commitment pays for is never moved
/// (<see cref="ClusterOptimizationRequest.CoveredByCommitment"/>); the disruption budget caps the run; a base of On-Demand
/// nodes is kept. Each node's target comes from <see cref="SpotDecisionEngine"/> (model with L1 fallback,
/// MOD-SPOT-01 selection) with the cluster's Spot nodes counted as placed, so replacements spread over pools.
/// Pure: time, market and flags are parameters.
/// </summary>
public static class ClusterOptimizer
{
    public static ClusterPlan Plan(ClusterOptimizationRequest request, RiskAssessor risk)
    {
        risk = risk.Memoized();
        var settings = request.Settings;
        var types = TypesOf(request.Market);
        var spotPrices = request.Market.Pools.ToDictionary(q => q.Pool, q => q.SpotPrice);
        var onDemandPrices = request.Market.OnDemand.ToDictionary(o => o.Type.Name, o => o.PricePerHour, StringComparer.Ordinal);
        var placed = new Dictionary<SpotPoolId, int>();
        foreach (var node in request.Nodes.Where(n => n.Purchase == PurchaseOption.Spot))
        {
            var pool = new SpotPoolId(node.AvailabilityZone, node.InstanceType);
            placed[pool] = placed.GetValueOrDefault(pool) + 1;
        }

        var budget = Math.Max(1, (int)Math.Floor(settings.DisruptionBudgetPercent / 100 * request.Nodes.Count));
        var onDemandCount = request.Nodes.Count(n => n.Purchase == PurchaseOption.OnDemand);
        var onDemandMovable = Math.Max(0, onDemandCount - settings.MinOnDemandNodes);
        var replacements = new List<NodeReplacement>();
        var blocked = new List<BlockedReplacement>();
        var notes = new SortedSet<string>(StringComparer.Ordinal);
        var fallback = false;
        string? modelVersion = null;
        var stale = false;
        var onDemandMoved = 0;
        var covered = request.Covered;

        foreach (var (node, reason) in Candidates(request, risk))
        {
            if (!types.TryGetValue(node.InstanceType, out var type))
            {
                blocked.Add(new(node.InstanceId, BlockReasons.UnknownType, $"{node.InstanceType} is not in the market catalog"));
                continue;
            }

            if (request.Pinned.Contains(node.InstanceId))
            {
                // The agent would refuse the drain anyway; planning it would only launch a node to roll back.
                blocked.Add(new(node.InstanceId, BlockReasons.DoNotDisrupt, "the node or one of its pods is marked spotoptimizer.io/do-not-disrupt"));
                continue;
            }

            if (reason == ReplacementReasons.OnDemandToSpot && covered.Contains(node.InstanceId))
            {
                // The customer pays for this hour whether the node runs or not: moving it to Spot pays twice.
                blocked.Add(new(node.InstanceId, BlockReasons.CoveredByCommitment,
                    "a Reserved Instance or Savings Plan already pays for this On-Demand node; replacing it would leave the commitment idle and pay for Spot on top"));
                continue;
            }

            if (request.PlacedByUs.TryGetValue(node.InstanceId, out var placedAt) && request.Now - placedAt < settings.Churn)
            {
                blocked.Add(new(node.InstanceId, BlockReasons.ChurnGuard, Invariant($"placed by the optimizer at {placedAt:O}, within the {settings.Churn.TotalHours:0.#} h churn window")));
                continue;
            }

            if (replacements.Count >= budget)
            {
                blocked.Add(new(node.InstanceId, BlockReasons.DisruptionBudget,
                    Invariant($"the disruption budget ({settings.DisruptionBudgetPercent:0.#}% of {request.Nodes.Count} nodes: {budget} per run) is taken by the replacements planned before it")));
                continue;
            }

            var toSpot = reason == ReplacementReasons.OnDemandToSpot;
            if (toSpot && onDemandMoved >= onDemandMovable)
            {
                blocked.Add(new(node.InstanceId, BlockReasons.OnDemandBase,
                    Invariant($"{settings.MinOnDemandNodes} On-Demand node(s) are kept as the cluster's stable base: the node stays On-Demand")));
                continue;
            }

            var decision = Decide(request, risk, types, node, type, toSpot, placed);
            fallback |= decision.RiskSource == RiskSource.HeuristicFallback;
            if (decision.RiskSource == RiskSource.Model) modelVersion ??= decision.RiskModelVersion;
            stale |= decision.PricesStale;
            notes.UnionWith(decision.Notes.Where(n => !n.StartsWith("[MOD-SPOT-01]", StringComparison.Ordinal)));
            var current = node.Purchase == PurchaseOption.Spot
                ? spotPrices.GetValueOrDefault(new SpotPoolId(node.AvailabilityZone, node.InstanceType), onDemandPrices.GetValueOrDefault(node.InstanceType))
                : onDemandPrices.GetValueOrDefault(node.InstanceType);
            if (decision.Selection.Allocations.Count == 0)
            {
                blocked.Add(NoTarget(node, reason, settings, decision.Selection));
                continue;
            }

            var target = decision.Selection.Allocations[0];
            if (toSpot && Refusal(settings, current, target) is { } refusal)
            {
                blocked.Add(refusal with { InstanceId = node.InstanceId });
                continue;
            }

            var zone = target.Purchase == PurchaseOption.OnDemand ? node.AvailabilityZone : target.Pool.AvailabilityZone;
            var pool = new SpotPoolId(zone, target.Pool.InstanceType);
            replacements.Add(new NodeReplacement(node, reason, pool, target.Purchase, current, target.PricePerNodeHour, target.Risk));
            if (target.Purchase == PurchaseOption.Spot) placed[pool] = placed.GetValueOrDefault(pool) + 1;
            if (!toSpot) placed[new SpotPoolId(node.AvailabilityZone, node.InstanceType)] -= 1;
            if (toSpot) onDemandMoved++;
        }

        var source = fallback || !risk.ModelAvailable ? RiskSource.HeuristicFallback : RiskSource.Model;
        return new ClusterPlan(replacements, blocked, [.. notes], source, source == RiskSource.Model ? modelVersion ?? "none" : BucketHeuristic.ModelVersion,
            stale, budget);
    }

    /// <summary>Spot nodes in flagged, then AVOID pools (stability), then On-Demand nodes, dearest first (biggest saving first).</summary>
    private static IEnumerable<(ClusterNode Node, string Reason)> Candidates(ClusterOptimizationRequest request, RiskAssessor risk)
    {
        var quotes = request.Market.Pools.ToDictionary(q => q.Pool);
        var spot = request.Nodes.Where(n => n.Purchase == PurchaseOption.Spot).OrderBy(n => n.InstanceId, StringComparer.Ordinal).ToList();
        foreach (var node in spot.Where(n => request.FlaggedPools.Contains(new SpotPoolId(n.AvailabilityZone, n.InstanceType))))
            yield return (node, ReplacementReasons.PoolFlagged);
        foreach (var node in spot.Where(n => !request.FlaggedPools.Contains(new SpotPoolId(n.AvailabilityZone, n.InstanceType))))
        {
            if (!quotes.TryGetValue(new SpotPoolId(node.AvailabilityZone, node.InstanceType), out var quote)) continue;
            var assessment = risk.Assess(InterruptionContract.RequestFor(node.InstanceType, node.AvailabilityZone, quote.HourlyHistory, request.Now));
            if (InterruptionContract.ActionFor(assessment.Probability) == RecommendedAction.Avoid) yield return (node, ReplacementReasons.PredictedAvoid);
        }

        var onDemand = request.Market.OnDemand.ToDictionary(o => o.Type.Name, o => o.PricePerHour, StringComparer.Ordinal);
        foreach (var node in request.Nodes.Where(n => n.Purchase == PurchaseOption.OnDemand)
                     .OrderByDescending(n => onDemand.GetValueOrDefault(n.InstanceType)).ThenBy(n => n.InstanceId, StringComparer.Ordinal))
            yield return (node, ReplacementReasons.OnDemandToSpot);
    }

    private static SpotDecision Decide(ClusterOptimizationRequest request, RiskAssessor risk, Dictionary<string, InstanceTypeInfo> types, ClusterNode node,
        InstanceTypeInfo type, bool toSpot, Dictionary<SpotPoolId, int> placed)
    {
        var settings = request.Settings;
        var families = settings.AllowedFamilies
            ?? [.. types.Values
                .Where(t => t.Architecture == type.Architecture && (t.Category == type.Category || OptimizationSettings.DefaultCategories.Contains(t.Category)))
                .Select(t => t.Family).Distinct()];
        var requirements = new WorkloadRequirements(1, type.AllocatableCpuMillicores / 1000.0, type.AllocatableMemoryMiB / 1024.0, type.Architecture, families);
        var baseline = settings.Selection ?? SelectionPolicy.Default;
        // An On-Demand node "falling back" to On-Demand is no move at all.
        var policy = toSpot ? baseline with { AllowOnDemandFallback = false } : baseline;
        var placedElsewhere = new Dictionary<SpotPoolId, int>(placed);
        if (!toSpot) placedElsewhere[new SpotPoolId(node.AvailabilityZone, node.InstanceType)] -= 1;
        return SpotDecisionEngine.Decide(new SpotDecisionRequest(requirements, request.Market, request.FlaggedPools, policy, request.Now, placedElsewhere)
        {
            PlacementScores = request.PlacementScores,
        }, risk);
    }

    /// <summary>
    /// No pool took the node. Said as it happened: an On-Demand node is never offered On-Demand (that would be no move),
    /// so its fallback setting is not the cause and is not named; a Spot node leaving a bad pool names the fallback
    /// setting only when it is off.
    /// </summary>
    private static BlockedReplacement NoTarget(ClusterNode node, string reason, OptimizationSettings settings, SpotSelection selection)
    {
        var shortfall = selection.SpotShortfall ?? "no eligible Spot pool";
        if (reason == ReplacementReasons.OnDemandToSpot)
        {
            return new(node.InstanceId, BlockReasons.NoSpotCapacity, $"no Spot pool qualified ({shortfall}): the node stays On-Demand");
        }

        var stays = reason == ReplacementReasons.PoolFlagged
            ? $"the node stays in {node.AvailabilityZone}/{node.InstanceType}, flagged by the hive mind"
            : $"the node stays in {node.AvailabilityZone}/{node.InstanceType}, which the interruption model says to avoid";
        return (settings.Selection ?? SelectionPolicy.Default).AllowOnDemandFallback
            ? new(node.InstanceId, BlockReasons.NoOnDemandType, $"no other Spot pool qualified ({shortfall}) and no On-Demand type of the allowed families fits: {stays}")
            : new(node.InstanceId, BlockReasons.OnDemandFallbackOff, $"no other Spot pool qualified ({shortfall}) and On-Demand fallback is off in the cluster's policy: {stays}");
    }

    private static BlockedReplacement? Refusal(OptimizationSettings settings, double current, PoolAllocation target)
    {
        if (target.Risk > settings.MaxTargetRisk)
        {
            return new("", BlockReasons.TargetRiskTooHigh,
                Invariant($"the best-ranked Spot pool {target.Pool} has interruption probability {target.Risk:0.00}, above the strategy's limit of {settings.MaxTargetRisk:0.00}: the node stays On-Demand (stability beats savings)"));
        }

        var saving = current > 0 ? (current - target.PricePerNodeHour) / current * 100 : 0;
        return saving < settings.MinSavingsPercent
            ? new("", BlockReasons.SavingsBelowThreshold,
                Invariant($"moving from ${current:0.####}/h to {target.Pool} at ${target.PricePerNodeHour:0.####}/h saves {saving:0.#}%, below the {settings.MinSavingsPercent:0.#}% threshold: the node stays On-Demand"))
            : null;
    }

    private static Dictionary<string, InstanceTypeInfo> TypesOf(MarketSnapshot market)
    {
        var types = new Dictionary<string, InstanceTypeInfo>(StringComparer.Ordinal);
        foreach (var offer in market.OnDemand) types[offer.Type.Name] = offer.Type;
        foreach (var quote in market.Pools) types.TryAdd(quote.Type.Name, quote.Type);
        return types;
    }
}
