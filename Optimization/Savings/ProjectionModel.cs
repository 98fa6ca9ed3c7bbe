using SpotOptimizer.Optimization.Commitments;
using SpotOptimizer.Optimization.Market;
using SpotOptimizer.Optimization.Packing;
using SpotOptimizer.Optimization.RightSizing;

namespace SpotOptimizer.Optimization.Savings;

/// <summary>A node of the cluster with what the projection needs beyond its price: its Kubernetes name (pods name it) and the do-not-disrupt mark.</summary>
public sealed record ProjectedNode(FleetNode Node, string Name, bool DoNotDisrupt);

/// <summary>A pod and the node it runs on (null while pending).</summary>
public sealed record ProjectedPod(PodSpec Spec, string? NodeName);

/// <summary>
/// What the 12-month projection simulates on. <see cref="OrganizationUsage"/> is every On-Demand node of the
/// organization (commitments cover all its clusters at once). <see cref="RightSizing"/> is MOD-SIZE-01's answer for the
/// cluster: every pod of an over- or under-provisioned workload is packed at its recommended requests, decreases and
/// increases alike (see <see cref="ProjectionResizing"/>). <see cref="Headroom"/> is the spare capacity the packed fleet keeps.
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
    IReadOnlyList<SizingRecommendation> RightSizing,
    DateTimeOffset Now,
    int Seed = 1,
    Headroom? Headroom = null);

public sealed record ProjectedMonth(DateTimeOffset MonthStart, double Unoptimized, double Optimized);

/// <param name="Packed">The optimized fleet is the bin-packed one (false: Spot replacement alone was cheaper, or packing could not place every pod).</param>
public sealed record SimulationOutcome(
    int NodesBefore, int NodesAfter, int KeptCovered, int KeptOnDemandBase, int KeptDoNotDisrupt, int SpotReplacements, int PodsPacked, int PackedNodes,
    bool Packed, IReadOnlyList<string> Notes);

/// <summary>What right-sizing contributed to the projection.</summary>
/// <param name="CpuMillicoresSaved">Σ over the resized pods of (current − recommended) CPU request; negative when increases outweigh decreases.</param>
/// <param name="MonthlySaving">The first projected month's optimized amount without right-sizing minus with it: what the smaller (or larger) requests change in the packed fleet.</param>
public sealed record RightSizingOutcome(
    int WorkloadsDecreased, int WorkloadsIncreased, int PodsResized, long CpuMillicoresSaved, long MemoryMiBSaved, double MonthlySaving)
{
    public int WorkloadsResized => WorkloadsDecreased + WorkloadsIncreased;
}

public sealed record Projection(IReadOnlyList<ProjectedMonth> Months, SimulationOutcome Plan, RightSizingOutcome RightSizing, IReadOnlyList<string> Assumptions);
