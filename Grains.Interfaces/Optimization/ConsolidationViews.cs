using Orleans;

namespace SpotOptimizer.Grains.Interfaces.Optimization;

/// <summary>
/// MOD-PACK-01's migration plan as the job shows it: consolidation planned on the agent's inventory (version
/// <paramref name="InventoryVersion"/>), each action with its outcome, and every node left alone with its code.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ConsolidationPlanView(
    int InventoryVersion,
    DateTimeOffset? InventoryReportedAt,
    double HourlySaving,
    double MonthlySaving,
    IReadOnlyList<ConsolidationActionView> Actions,
    IReadOnlyList<SkippedConsolidationView> Skipped,
    IReadOnlyList<string> Notes);

/// <param name="Kind">delete_empty, multi_node or single_node.</param>
/// <param name="Outcome">pending, consolidated, dry_run, failed or rolled_back (<see cref="ConsolidationOutcomes"/>).</param>
[GenerateSerializer, Immutable]
public sealed record ConsolidationActionView(
    string Kind,
    IReadOnlyList<ConsolidatedNodeView> Nodes,
    ReplacementNodeView? Replacement,
    int PodsMoved,
    IReadOnlyList<PlannedStepView> Steps,
    double HourlySaving,
    double MonthlySaving,
    string Outcome,
    string? NewInstanceId);

/// <summary>A node the action removes.</summary>
[GenerateSerializer, Immutable]
public sealed record ConsolidatedNodeView(string Node, string InstanceId, string InstanceType, string Zone, string Purchase, string? Nodegroup, double PricePerHour, int Pods);

/// <summary>The one new node an action launches for the pods the other nodes cannot take.</summary>
[GenerateSerializer, Immutable]
public sealed record ReplacementNodeView(string InstanceType, string Zone, string Purchase, double PricePerHour);

/// <param name="Kind">launch, cordon, drain or terminate.</param>
/// <param name="Evictions">Pods a drain wave evicts (at most each workload's PDB allowance).</param>
[GenerateSerializer, Immutable]
public sealed record PlannedStepView(string Kind, string Node, int Evictions);

/// <param name="Code">A stable code: do_not_disrupt, excluded_namespace, covered_by_commitment, too_young, nodegroup_min_size, pdb_blocks, no_fit, headroom, … (see Optimization/README.md).</param>
[GenerateSerializer, Immutable]
public sealed record SkippedConsolidationView(string Node, string? InstanceId, string Code, string Reason);

public static class ConsolidationOutcomes
{
    public const string Pending = "pending";
    public const string Consolidated = "consolidated";
    public const string DryRun = "dry_run";

    /// <summary>Some step failed after a node was already removed: the action stopped there (each step says why).</summary>
    public const string Failed = "failed";

    /// <summary>A drain failed before any node was removed: the node launched for the action was terminated again.</summary>
    public const string RolledBack = "rolled_back";
}
