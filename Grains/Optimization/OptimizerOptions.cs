using SpotOptimizer.Optimization.Cluster;
using SpotOptimizer.Optimization.Selection;

namespace SpotOptimizer.Grains.Optimization;

/// <summary>Section <c>Optimizer</c>: the optimize loop's cadence and CORE-DECIDE's guards.</summary>
public sealed class OptimizerOptions
{
    /// <summary>How often a managed cluster's reminder checks for a discovery it has not optimized after.</summary>
    public TimeSpan Period { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>When a newly managed cluster's reminder first fires: soon, so a connected cluster is optimized within minutes.</summary>
    public TimeSpan FirstRun { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>A job in flight longer than this is considered lost (e.g. a restart) and no longer blocks the next one.</summary>
    public TimeSpan JobTimeout { get; set; } = TimeSpan.FromMinutes(30);

    public double MinSavingsPercent { get; set; } = 10;

    /// <summary>At most this share of a cluster's nodes is replaced in one run.</summary>
    public double DisruptionBudgetPercent { get; set; } = 25;

    /// <summary>A node the optimizer placed is not replaced again within this window.</summary>
    public TimeSpan ChurnWindow { get; set; } = OptimizationSettings.DefaultChurnWindow;

    public int MinOnDemandNodes { get; set; } = 1;

    /// <summary>Consolidation acts only on an agent inventory reported within this long (the agent reports every 30 s).</summary>
    public TimeSpan InventoryMaxAge { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Karpenter's <c>consolidateAfter</c>: a node created less than this long ago is not consolidated (a new node is
    /// empty until the scheduler has placed pods on it, ours included).
    /// </summary>
    public TimeSpan ConsolidateAfter { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The highest interruption probability a node may be moved onto, per policy strategy.</summary>
    public double MaxRiskStability { get; set; } = 0.2;

    public double MaxRiskBalanced { get; set; } = 0.35;

    public double MaxRiskCostOptimized { get; set; } = 0.5;

    /// <summary>
    /// The selection each policy strategy runs: "stability" ranks only the best Spot Advisor interruption bucket on
    /// offer (capacity first, as price-capacity-optimized does: fewer interruptions for a few percent of savings);
    /// "balanced" ranks the best bucket first and keeps the others as overflow; "cost_optimized" asked for price, so
    /// every bucket competes on the price/risk score alone, within its higher risk ceiling.
    /// </summary>
    public static SelectionPolicy SelectionFor(string strategy) => strategy switch
    {
        "stability" => SelectionPolicy.Stability,
        "cost_optimized" => SelectionPolicy.Default with { CapacityTierFirst = false },
        _ => SelectionPolicy.Default,
    };

    public double MaxRiskFor(string strategy) => strategy switch
    {
        "stability" => MaxRiskStability,
        "cost_optimized" => MaxRiskCostOptimized,
        _ => MaxRiskBalanced,
    };
}
