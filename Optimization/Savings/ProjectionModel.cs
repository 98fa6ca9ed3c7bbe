using SpotOptimizer.Optimization.Commitments;
using SpotOptimizer.Optimization.Market;
using SpotOptimizer.Optimization.Packing;

namespace SpotOptimizer.Optimization.Savings;

/// <summary>A node of the cluster with what the projection needs beyond its price: its Kubernetes name (pods name it) and the do-not-disrupt mark.</summary>
public sealed record ProjectedNode(FleetNode Node, string Name, bool DoNotDisrupt);

/// <summary>A pod and the node it runs on (null while pending).</summary>
public sealed record ProjectedPod(PodSpec Spec, string? NodeName);

/// <summary>
/// What the 12-month projection simulates on. <see cref="OrganizationUsage"/> is every On-Demand node of the
/// organization (commitments cover all its clusters at once); <see cref="RightSizingFactor"/> scales every pod's
/// requests (1 = no right-sizing: the hook for MOD-SIZE-01's recommendations).
/// </summary>
public sealed record ProjectionRequest(
    IReadOnlyList<ProjectedNode> Nodes,
    IReadOnlyList<ProjectedPod> Pods,
    IReadOnlyList<WorkloadRules> Workloads,
    Resources DaemonSetOverhead,
    IReadOnlyList<OnDemandUsage> OrganizationUsage,
    IReadOnlyList<Commitment> Commitments,
    MarketSnapshot Market,
    int MinOnDemandNodes,
    int BinpackAggressiveness,
    double RightSizingFactor,
    DateTimeOffset Now,
    int Seed = 1);

public sealed record ProjectedMonth(DateTimeOffset MonthStart, double Unoptimized, double Optimized);

/// <param name="Packed">The optimized fleet is the bin-packed one (false: Spot replacement alone was cheaper, or packing could not place every pod).</param>
public sealed record SimulationOutcome(
    int NodesBefore, int NodesAfter, int KeptCovered, int KeptOnDemandBase, int KeptDoNotDisrupt, int SpotReplacements, int PodsPacked, int PackedNodes,
    bool Packed, IReadOnlyList<string> Notes);

public sealed record Projection(IReadOnlyList<ProjectedMonth> Months, SimulationOutcome Plan, IReadOnlyList<string> Assumptions);
