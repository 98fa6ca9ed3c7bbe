using SpotOptimizer.Optimization.Decision;
using SpotOptimizer.Optimization.Market;
using SpotOptimizer.Optimization.Risk;
using SpotOptimizer.Optimization.Selection;

namespace SpotOptimizer.Optimization.Lab;

/// <summary>Where an arm's model would run the arm's node: the pool, its price now and the model's risk for it.</summary>
public sealed record ArmChoice(SpotPoolId Pool, double HourlyPrice, double Risk, string ModelVersion, RiskSource RiskSource);

/// <summary>What an arm runs on now.</summary>
/// <param name="Pool">Null while the arm is still on its On-Demand original.</param>
public sealed record ArmPosition(SpotPoolId? Pool, double HourlyPrice, bool Interrupted);

/// <summary>
/// One Lab arm's decision: the node it holds is replaced by one of at least the same allocatable CPU and memory, same
/// architecture and category (so both arms of a test compete for comparable capacity), in the pool MOD-SPOT-01 ranks
/// best with the arm's own model as MOD-AI-01. Everything else is the production decision path, so a model's Lab
/// results predict what it would do in production. Pure: market, flags, risk and <c>now</c> are parameters.
/// </summary>
public static class ArmDecision
{
    /// <summary>A Spot node is moved for a pool at least this much cheaper (10 %): less only buys churn and boot time.</summary>
    public const double MinPriceGain = 0.10;

    /// <param name="zones">
    /// Only these zones: the live switch's one (an EBS volume cannot leave it), an A/B arm's cluster's (the account's
    /// zones, not every zone the region's market quotes); null for any.
    /// </param>
    public static ArmChoice? Choose(InstanceTypeInfo original, IReadOnlyList<string>? zones, MarketSnapshot market, IReadOnlySet<SpotPoolId> flagged, RiskAssessor risk, DateTimeOffset now)
    {
        var families = market.Pools.Select(p => p.Type).Where(t => t.Architecture == original.Architecture && t.Category == original.Category)
            .Select(t => t.Family).Distinct(StringComparer.Ordinal).ToList();
        var requirements = new WorkloadRequirements(1, original.AllocatableCpuMillicores / 1000.0, original.AllocatableMemoryMiB / 1024.0, original.Architecture,
            families, zones);
        var policy = SelectionPolicy.Default with { MaxPoolShare = 1, AllowOnDemandFallback = false, AllowOtherZones = zones is null };
        var decision = SpotDecisionEngine.Decide(new SpotDecisionRequest(requirements, market, flagged, policy, now), risk);
        var spot = decision.Selection.Allocations.FirstOrDefault(a => a.Purchase == PurchaseOption.Spot);
        return spot is null ? null : new ArmChoice(spot.Pool, spot.PricePerNodeHour, decision.PoolRisks.GetValueOrDefault(spot.Pool), decision.RiskModelVersion, decision.RiskSource);
    }

    /// <summary>
    /// Whether the arm moves to <paramref name="choice"/>: always off On-Demand or an interrupted node, always out of a
    /// flagged pool or one its model now says to AVOID, otherwise only for a materially cheaper pool.
    /// </summary>
    public static bool ShouldMove(ArmPosition position, ArmChoice choice, IReadOnlySet<SpotPoolId> flagged, double currentRisk)
    {
        if (position.Pool is not { } pool || position.Interrupted) return true;
        if (choice.Pool == pool) return false;
        if (flagged.Contains(pool) || currentRisk > InterruptionContract.AvoidAbove) return true;
        return choice.HourlyPrice <= position.HourlyPrice * (1 - MinPriceGain);
    }
}
