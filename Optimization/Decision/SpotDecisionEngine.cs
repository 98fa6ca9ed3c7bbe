using SpotOptimizer.Optimization.Market;
using SpotOptimizer.Optimization.Risk;
using SpotOptimizer.Optimization.Selection;

namespace SpotOptimizer.Optimization.Decision;

/// <summary>Everything one Spot decision depends on; <see cref="Now"/> is passed in (no clock inside).</summary>
public sealed record SpotDecisionRequest(
    WorkloadRequirements Requirements,
    MarketSnapshot Market,
    IReadOnlySet<SpotPoolId> FlaggedPools,
    SelectionPolicy Policy,
    DateTimeOffset Now,
    IReadOnlyDictionary<SpotPoolId, int>? PlacedUnits = null)
{
    /// <summary>AWS's Spot placement scores for the pools, when the caller has them (a risk input beside the model).</summary>
    public PlacementScores? PlacementScores { get; init; }
}

/// <summary>
/// A Spot decision as the optimize loop records it: the selection, where the risk numbers came from (the model or
/// the L1 heuristic fallback), whether prices were stale (L2) and human-readable notes saying so.
/// </summary>
public sealed record SpotDecision(
    DateTimeOffset DecidedAt,
    SpotSelection Selection,
    RiskSource RiskSource,
    string RiskModelVersion,
    bool PricesStale,
    IReadOnlyList<string> Notes,
    IReadOnlyDictionary<SpotPoolId, double> PoolRisks)
{
    /// <summary>Each assessed pool's price rise over its minimum of the last 24 h (see <see cref="PoolCandidate.PriceRise"/>).</summary>
    public IReadOnlyDictionary<SpotPoolId, double> PriceRises { get; init; } = new Dictionary<SpotPoolId, double>();
}

/// <summary>
/// CORE-DECIDE for Spot placement: assess the risk of every pool the workload could use (MOD-AI-01 with its L1
/// fallback), then select (MOD-SPOT-01). Stability beats savings: flagged pools and AVOID pools are never chosen.
/// A price feed older than <see cref="MaxPriceAge"/> is used with a <see cref="StalePriceBuffer"/> markup (L2).
/// </summary>
public static class SpotDecisionEngine
{
    /// <summary>Three missed refreshes of the 5-minute price collector (SVC-PRICE-01).</summary>
    public static readonly TimeSpan MaxPriceAge = TimeSpan.FromMinutes(15);

    public const double StalePriceBuffer = 0.10;

    public static SpotDecision Decide(SpotDecisionRequest request, RiskAssessor risk)
    {
        var requirements = request.Requirements;
        var families = new HashSet<string>(requirements.Families, StringComparer.Ordinal);
        families.UnionWith(request.Policy.FallbackFamilies ?? []);
        var age = request.Now - request.Market.At;
        var feedStale = age > MaxPriceAge;
        var stalePools = 0;

        var candidates = new List<PoolCandidate>(request.Market.Pools.Count);
        var risks = new Dictionary<SpotPoolId, double>();
        var rises = new Dictionary<SpotPoolId, double>();
        var fallbackReasons = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var assessed = 0;
        var lowScored = 0;
        var placement = request.PlacementScores ?? PlacementScores.None;
        string? modelVersion = null;
        foreach (var quote in request.Market.Pools)
        {
            // Only pools the workload could use are worth a model call; the rest are rejected by the selector anyway.
            var relevant = quote.Type.Architecture == requirements.Architecture
                && families.Contains(quote.Type.Family)
                && !request.FlaggedPools.Contains(quote.Pool);
            var probability = 0.0;
            var rise = 0.0;
            if (relevant)
            {
                var assessment = risk.Assess(InterruptionContract.RequestFor(quote.Pool.InstanceType, quote.Pool.AvailabilityZone, quote.HourlyHistory, request.Now));
                probability = placement.Apply(quote.Pool, assessment.Probability);
                if (probability > assessment.Probability) lowScored++;
                risks[quote.Pool] = probability;
                rises[quote.Pool] = rise = PoolCandidate.RiseOverDayMinimum(quote.HourlyHistory);
                assessed++;
                if (assessment.Source == RiskSource.HeuristicFallback)
                {
                    fallbackReasons[assessment.FallbackReason ?? "unknown"] = fallbackReasons.GetValueOrDefault(assessment.FallbackReason ?? "unknown") + 1;
                }
                else
                {
                    modelVersion ??= assessment.ModelVersion;
                }
            }

            // L2: a price the feed could not refresh is used with a buffer, so a stale bargain does not win on its own.
            var stalePrice = feedStale || quote.Stale;
            if (stalePrice && relevant) stalePools++;
            candidates.Add(new PoolCandidate(quote.Pool, quote.Type, quote.SpotPrice * (stalePrice ? 1 + StalePriceBuffer : 1), probability, quote.Bucket, rise));
        }

        var onDemand = request.Market.OnDemand;
        var selection = SpotSelector.Select(requirements, candidates, onDemand, request.FlaggedPools, request.Policy, request.PlacedUnits);

        var notes = new List<string>();
        var fallbacks = fallbackReasons.Values.Sum();
        foreach (var (reason, pools) in fallbackReasons)
        {
            notes.Add($"[MOD-AI-01] [FALLBACK-L1] risk of {pools} of {assessed} pools from the static Spot Advisor bucket heuristic: {reason}");
        }

        if (feedStale) notes.Add($"[SVC-PRICE-01] [STALE-L2] prices are {age.TotalMinutes:F0} min old: last known Spot prices + {StalePriceBuffer:P0} used");
        else if (stalePools > 0) notes.Add($"[SVC-PRICE-01] [STALE-L2] the price feed failed for {stalePools} pools: their last known Spot prices + {StalePriceBuffer:P0} used");
        if (lowScored > 0) notes.Add($"[MOD-AI-01] [PLACEMENT] risk of {lowScored} of {assessed} pools raised by a Spot placement score below {placement.Policy.TrustedFrom}");
        if (request.FlaggedPools.Count > 0) notes.Add($"[SVC-RISK-GLB] {request.FlaggedPools.Count} flagged pools blocked");
        if (selection.Outcome == SelectionOutcome.SatisfiedWithFallback)
        {
            notes.Add("[MOD-SPOT-01] fallback used: " + string.Join(", ", selection.Allocations.Where(a => a.Tier != SelectionTier.Preferred).Select(a => $"{a.Tier} {a.Pool} × {a.Nodes}")));
        }

        if (selection.Error is { } error) notes.Add("[MOD-SPOT-01] " + error);
        var source = fallbacks > 0 || (assessed > 0 && modelVersion is null) ? RiskSource.HeuristicFallback : RiskSource.Model;
        return new SpotDecision(
            request.Now,
            selection,
            source,
            source == RiskSource.Model ? modelVersion ?? "none" : BucketHeuristic.ModelVersion,
            feedStale || stalePools > 0,
            notes,
            risks)
        {
            PriceRises = rises,
        };
    }
}
