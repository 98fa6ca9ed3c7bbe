namespace SpotOptimizer.Optimization.Packing;

/// <summary>
/// What MOD-PACK-01 consolidates: the cluster's nodes with their pods, the workloads' rules, what can be bought
/// (offers outside <see cref="Template"/> are ignored) and the DaemonSets' requests on every node.
/// </summary>
public sealed record ConsolidationRequest(
    IReadOnlyList<ExistingNode> Nodes,
    IReadOnlyList<WorkloadRules> Workloads,
    IReadOnlyList<NodeOffer> Offers,
    NodeTemplate Template,
    PackingPolicy Policy,
    Resources DaemonSetOverhead);

/// <summary>Pods to place on new nodes (the projection, the benchmark). The seed orders the local search's attempts.</summary>
public sealed record FreshPackingRequest(
    IReadOnlyList<PodSpec> Pods,
    IReadOnlyList<WorkloadRules> Workloads,
    IReadOnlyList<NodeOffer> Offers,
    NodeTemplate Template,
    PackingPolicy Policy,
    Resources DaemonSetOverhead,
    int Seed);

/// <summary>Stable codes for an opportunity the plan did not take (job results, the ledger, the UI).</summary>
public static class PackingReasons
{
    public const string DoNotDisrupt = "do_not_disrupt";
    public const string PdbBlocks = "pdb_blocks";
    public const string NoFit = "no_fit";
    public const string AntiAffinity = "anti_affinity";
    public const string TopologySpread = "topology_spread";
    public const string NotCheaper = "not_cheaper";
    public const string BelowMinSaving = "below_min_saving";
    public const string Headroom = "headroom";

    // Pins the caller sets on a node (ExistingNode.Pin): the planner reports them as they are.
    public const string ExcludedNamespace = "excluded_namespace";
    public const string SpotReplacement = "spot_replacement";
    public const string UnmanagedPod = "unmanaged_pod";
    public const string PriceUnknown = "price_unknown";

    /// <summary>A Reserved Instance or Savings Plan pays for the On-Demand node: removing it saves nothing.</summary>
    public const string CoveredByCommitment = "covered_by_commitment";

    /// <summary>Removing it would take its managed node group below the group's minimum size.</summary>
    public const string NodegroupMinSize = "nodegroup_min_size";

    /// <summary>Created less than <c>consolidateAfter</c> ago: pods are still being scheduled onto it.</summary>
    public const string TooYoung = "too_young";
}

public enum ConsolidationKind
{
    /// <summary>A node without pods is deleted.</summary>
    DeleteEmpty = 1,

    /// <summary>Several nodes go; their pods fit on the others and at most one cheaper new node.</summary>
    MultiNode = 2,

    /// <summary>One node goes; its pods fit on the others, or on one cheaper new node.</summary>
    SingleNode = 3,
}

public enum StepKind
{
    Launch = 1,
    Cordon = 2,
    Drain = 3,
    Terminate = 4,
}

/// <summary>Where the simulation put an evicted pod (the scheduler decides for real; the simulation proves a place exists).</summary>
public sealed record PodMove(string Pod, string Namespace, string Workload, string FromNode, string ToNode);

/// <summary>One step for the executor. A drain step evicts at most each workload's PDB allowance; the next waits for them to run again.</summary>
public sealed record PlanStep(StepKind Kind, string Node, IReadOnlyList<PodMove> Evictions);

public sealed record ConsolidationAction(
    ConsolidationKind Kind,
    IReadOnlyList<string> RemovedNodes,
    NodeOffer? Replacement,
    string? ReplacementNode,
    double RemovedCostPerHour,
    IReadOnlyList<PodMove> Moves,
    IReadOnlyList<PlanStep> Steps)
{
    public const double HoursPerMonth = 730;

    public double HourlySaving => RemovedCostPerHour - (Replacement?.HourlyPrice ?? 0);

    public double MonthlySaving => HourlySaving * HoursPerMonth;
}

public sealed record SkippedOpportunity(string Node, string Code, string Detail);

/// <summary>MOD-PACK-01's migration plan: actions in the order to run them, each simulated on the state the previous ones leave.</summary>
public sealed record MigrationPlan(IReadOnlyList<ConsolidationAction> Actions, IReadOnlyList<SkippedOpportunity> Skipped)
{
    public double HourlySaving => Actions.Sum(a => a.HourlySaving);

    public double MonthlySaving => HourlySaving * ConsolidationAction.HoursPerMonth;
}

public sealed record PackedNode(string Name, NodeOffer Offer, IReadOnlyList<PodSpec> Pods, Resources Requested);

public sealed record UnplacedPod(PodSpec Pod, string Code);

/// <summary>New nodes for a set of pods; <see cref="Unplaced"/> lists pods no offer can hold under the constraints.</summary>
public sealed record FreshPacking(IReadOnlyList<PackedNode> Nodes, IReadOnlyList<UnplacedPod> Unplaced)
{
    public double HourlyCost => Nodes.Sum(n => n.Offer.HourlyPrice);
}
