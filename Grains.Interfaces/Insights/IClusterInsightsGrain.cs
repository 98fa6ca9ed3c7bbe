using System.Text.Json.Serialization;
using Orleans;
using Orleans.Concurrency;

namespace SpotOptimizer.Grains.Interfaces.Insights;

/// <summary>
/// A cluster's KPIs and savings projection, keyed by cluster id. Computed when first asked and kept until one of
/// their inputs changes (the organization's inventories and policies, its commitments, the ledger's replacements and
/// interruptions, the region's market price hour): a request with unchanged inputs is answered from the cache.
/// Null when the cluster is not the organization's.
/// </summary>
public interface IClusterInsightsGrain : IGrainWithStringKey
{
    Task<ClusterKpi?> GetKpi(string organizationId);

    /// <summary>Null when the cluster is not the organization's.</summary>
    Task<ProjectionView?> GetProjection(string organizationId);
}

/// <summary>A figure and the sentence that says how it was computed.</summary>
[GenerateSerializer, Immutable]
public sealed record KpiFigure(double Value, string Unit, string Basis);

[GenerateSerializer, Immutable]
public sealed record CompositionCountsView(int Spot, int OnDemand, int CoveredByCommitments);

[GenerateSerializer, Immutable]
public sealed record CompositionGroupView(string Key, CompositionCountsView Counts);

[GenerateSerializer, Immutable]
public sealed record CompositionView(CompositionCountsView Total, IReadOnlyList<CompositionGroupView> ByFamily, IReadOnlyList<CompositionGroupView> ByZone, string Basis);

/// <param name="Unit">"instances" for a Reserved Instance, "usd_per_hour" for a Savings Plan.</param>
[GenerateSerializer, Immutable]
public sealed record CommitmentUseView(string CommitmentId, string Kind, bool Active, double Used, double Committed, double Utilisation, string Unit);

/// <param name="Net">Gross less the interruptions' extra cost, in dollars since the cluster was managed.</param>
[GenerateSerializer, Immutable]
/// <param name="ConsolidationGross">The part of <see cref="Gross"/> consolidations saved.</param>
public sealed record SavingsRealisedView(
    double Gross, double InterruptionCost, double Net, double HoursRun, int Replacements, int Interruptions, string Basis, double ConsolidationGross = 0, int Consolidations = 0);

/// <param name="NodeSource">"agent_inventory" or "discovery".</param>
/// <param name="Commitments">The organization's commitments and how much of each its managed fleet uses (the same in every cluster's KPIs).</param>
/// <param name="Computations">How many times this cluster's KPIs were computed since the grain woke: shows the cache at work.</param>
[GenerateSerializer, Immutable]
public sealed record ClusterKpi(
    string ClusterId,
    string Region,
    DateTimeOffset ComputedAt,
    DateTimeOffset? PricesAt,
    string NodeSource,
    int Nodes,
    int UnpricedNodes,
    KpiFigure CurrentMonthlySpend,
    KpiFigure OnDemandMonthlySpend,
    KpiFigure NetSavingsRealised,
    SavingsRealisedView Savings,
    CompositionView Composition,
    IReadOnlyList<CommitmentUseView> Commitments,
    string CommitmentsBasis,
    KpiFigure HeadroomMonthlyCost,
    KpiFigure InterruptionsAvoided,
    int Computations);

/// <param name="MonthStart">The first day of the month (UTC).</param>
[GenerateSerializer, Immutable]
public sealed record MonthAmount(DateTimeOffset MonthStart, double Amount);

/// <summary>What the projection's simulation did to the fleet.</summary>
[GenerateSerializer, Immutable]
public sealed record ProjectionPlan(
    int NodesBefore,
    int NodesAfter,
    int KeptCovered,
    int KeptOnDemandBase,
    int KeptDoNotDisrupt,
    int SpotReplacements,
    int PodsPacked,
    int PackedNodes,
    ProjectionRightSizing RightSizing,
    IReadOnlyList<string> Assumptions);

/// <summary>What right-sizing (MOD-SIZE-01's recommendations, applied to the pods before packing) contributed to the projection.</summary>
/// <param name="CpuMillicoresSaved">Σ (current − recommended) CPU requests over the resized pods; negative when increases outweigh decreases.</param>
/// <param name="MonthlySaving">$ per month: the first projected month's optimized amount simulated without right-sizing minus with it.</param>
[GenerateSerializer, Immutable]
public sealed record ProjectionRightSizing(
    int WorkloadsResized,
    int WorkloadsDecreased,
    int WorkloadsIncreased,
    int PodsResized,
    long CpuMillicoresSaved,
    [property: JsonPropertyName("memory_mib_saved")] long MemoryMiBSaved,
    double MonthlySaving,
    string Basis);

[GenerateSerializer, Immutable]
public sealed record ProjectionView(
    string ClusterId,
    DateTimeOffset ComputedAt,
    IReadOnlyList<MonthAmount> Unoptimized,
    IReadOnlyList<MonthAmount> Optimized,
    ProjectionPlan Plan,
    string Basis,
    int Computations);
