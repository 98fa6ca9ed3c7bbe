using SpotOptimizer.Optimization.Market;
using SpotOptimizer.Optimization.Risk;
using SpotOptimizer.Optimization.Selection;

namespace SpotOptimizer.Optimization.Cluster;

/// <summary>A node of the cluster as the optimizer sees it now.</summary>
/// <param name="Nodegroup">The managed node group it belongs to; null for nodes we launched ourselves.</param>
public sealed record ClusterNode(string InstanceId, string InstanceType, string AvailabilityZone, PurchaseOption Purchase, string? Nodegroup);

/// <summary>
/// The knobs of one cluster's optimization (CORE-DECIDE). <see cref="MaxTargetRisk"/> is the highest interruption
/// probability a node may be moved onto (stability beats savings); <see cref="DisruptionBudgetPercent"/> caps the
/// nodes replaced in one run; <see cref="ChurnWindow"/> protects a node we placed from being moved again soon;
/// <see cref="MinOnDemandNodes"/> keeps a stable base for cluster add-ons. <see cref="AllowedFamilies"/> null means
/// the node's architecture in <see cref="DefaultCategories"/> or the node's own category: a workload's requests fit a
/// compute- or memory-optimized node as well as a general-purpose one, as Karpenter's defaults assume.
/// </summary>
public sealed record OptimizationSettings(
    double MinSavingsPercent = 10,
    double MaxTargetRisk = 0.35,
    double DisruptionBudgetPercent = 25,
    int MinOnDemandNodes = 1,
    TimeSpan? ChurnWindow = null,
    IReadOnlyList<string>? AllowedFamilies = null,
    SelectionPolicy? Selection = null)
{
    public static readonly TimeSpan DefaultChurnWindow = TimeSpan.FromHours(6);

    /// <summary>General purpose, compute optimized, memory optimized; burstable, GPU and storage types only on request.</summary>
    public static readonly IReadOnlySet<string> DefaultCategories = new HashSet<string>(["m", "c", "r"], StringComparer.Ordinal);

    public static OptimizationSettings Default { get; } = new();

    public TimeSpan Churn => ChurnWindow ?? DefaultChurnWindow;
}

/// <param name="CoveredByCommitment">On-Demand nodes a Reserved Instance or Savings Plan pays for (wholly or in part): never moved.</param>
/// <param name="DoNotDisrupt">Nodes the customer pinned (the node or one of its pods marked <c>spotoptimizer.io/do-not-disrupt</c>, as the agent reports): never moved, whatever the reason.</param>
public sealed record ClusterOptimizationRequest(
    IReadOnlyList<ClusterNode> Nodes,
    MarketSnapshot Market,
    IReadOnlySet<SpotPoolId> FlaggedPools,
    OptimizationSettings Settings,
    IReadOnlyDictionary<string, DateTimeOffset> PlacedByUs,
    DateTimeOffset Now,
    IReadOnlySet<string>? CoveredByCommitment = null,
    IReadOnlySet<string>? DoNotDisrupt = null)
{
    public IReadOnlySet<string> Covered => CoveredByCommitment ?? new HashSet<string>(StringComparer.Ordinal);

    /// <summary>AWS's Spot placement scores of the pools, in the tenant's zone names, passed into every Spot decision; none when unknown.</summary>
    public PlacementScores? PlacementScores { get; init; }

    public IReadOnlySet<string> Pinned => DoNotDisrupt ?? new HashSet<string>(StringComparer.Ordinal);
}

public static class ReplacementReasons
{
    /// <summary>An On-Demand node moves to Spot for the saving.</summary>
    public const string OnDemandToSpot = "on_demand_to_spot";

    /// <summary>A Spot node leaves a pool the hive mind flagged.</summary>
    public const string PoolFlagged = "pool_flagged";

    /// <summary>A Spot node leaves a pool the interruption model says to avoid.</summary>
    public const string PredictedAvoid = "predicted_avoid";
}

/// <summary>Why a possible replacement was not planned; stable codes for the job result and the ledger.</summary>
public static class BlockReasons
{
    /// <summary>An On-Demand node found no Spot pool that qualifies; it stays On-Demand (whatever the fallback setting).</summary>
    public const string NoSpotCapacity = "no_spot_capacity";

    /// <summary>A Spot node leaving a bad pool found no other Spot pool, and the cluster's policy forbids On-Demand.</summary>
    public const string OnDemandFallbackOff = "on_demand_fallback_off";

    /// <summary>A Spot node leaving a bad pool found no other Spot pool, and no On-Demand type of the allowed families fits.</summary>
    public const string NoOnDemandType = "no_on_demand_type";

    public const string TargetRiskTooHigh = "target_risk_too_high";
    public const string SavingsBelowThreshold = "savings_below_threshold";
    public const string ChurnGuard = "churn_guard";
    public const string DisruptionBudget = "disruption_budget";
    public const string OnDemandBase = "on_demand_base";
    public const string UnknownType = "unknown_instance_type";
    public const string CoveredByCommitment = "covered_by_commitment";
    public const string DoNotDisrupt = "do_not_disrupt";
}

/// <param name="Target">The pool to launch into; for an On-Demand fallback its zone is the node's own.</param>
public sealed record NodeReplacement(
    ClusterNode Node,
    string Reason,
    SpotPoolId Target,
    PurchaseOption TargetPurchase,
    double CurrentPricePerHour,
    double TargetPricePerHour,
    double TargetRisk)
{
    public double HourlySaving => CurrentPricePerHour - TargetPricePerHour;
}

public sealed record BlockedReplacement(string InstanceId, string Code, string Reason);

/// <summary>CORE-DECIDE's plan for one cluster: ordered replacements (stability first), every refusal with its reason.</summary>
public sealed record ClusterPlan(
    IReadOnlyList<NodeReplacement> Replacements,
    IReadOnlyList<BlockedReplacement> Blocked,
    IReadOnlyList<string> Notes,
    RiskSource RiskSource,
    string RiskModelVersion,
    bool PricesStale,
    int DisruptionBudget)
{
    public double HourlySaving => Replacements.Sum(r => r.HourlySaving);
}
