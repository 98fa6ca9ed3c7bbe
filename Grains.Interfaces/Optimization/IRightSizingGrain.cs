using Orleans;
using Orleans.Concurrency;
using SpotOptimizer.Grains.Interfaces.Clusters;

namespace SpotOptimizer.Grains.Interfaces.Optimization;

/// <summary>
/// One cluster's right-sizing recommendations (MOD-SIZE-01), keyed by cluster id: computed from the agent's latest
/// inventory and the region's market, kept until either changes. Recommendations only: it writes and applies nothing.
/// </summary>
public interface IRightSizingGrain : IGrainWithStringKey
{
    /// <summary>Null when the cluster is not the organization's.</summary>
    [ReadOnly]
    Task<RightSizingView?> GetRecommendations(string organizationId);
}

public static class RightSizingStatus
{
    public const string Ok = "ok";

    /// <summary>The agent has not reported an inventory yet: nothing to size.</summary>
    public const string NoInventory = "no_inventory";

    /// <summary>None of the cluster's nodes has a market price: recommendations without savings.</summary>
    public const string NoPrices = "no_prices";
}

/// <param name="WindowDays">The usage window recommendations are meant to cover (less data lowers each item's confidence).</param>
/// <param name="Margin">The safety margin added on top of the percentiles (0.15 = 15 %).</param>
/// <param name="Basis">How the numbers were computed, in one sentence.</param>
/// <param name="TotalMonthlySaving">Net $ per month: decreases' savings minus increases' costs; null when unpriced.</param>
[GenerateSerializer, Immutable]
public sealed record RightSizingView(
    string ClusterId,
    int InventoryVersion,
    string Status,
    double WindowDays,
    double Margin,
    string Basis,
    UnitPrices? UnitPrices,
    IReadOnlyList<WorkloadRecommendation> Items,
    double? TotalMonthlySaving,
    double? MonthlySavingFromDecreases,
    double? MonthlyCostOfIncreases,
    IReadOnlyList<SkippedWorkload> Skipped);

[GenerateSerializer, Immutable]
public sealed record UnitPrices(double PerVCpuHour, double PerGiBHour);

/// <summary>Per pod, its containers summed; a null limit is no limit.</summary>
[GenerateSerializer, Immutable]
public sealed record PodResourceSpec(int CpuRequestMillicores, int MemoryRequestMiB, int? CpuLimitMillicores, int? MemoryLimitMiB);

/// <param name="Code">over_provisioned, under_provisioned or within_tolerance.</param>
/// <param name="Risk">For under_provisioned: oom_kill_risk, memory_eviction_risk, cpu_throttling or cpu_contention.</param>
/// <param name="Confidence">Share of the full window the usage covers (0-1).</param>
/// <param name="Current">The resources most of the workload's pods run with (<paramref name="PodSpecsDiffer"/>: not all do).</param>
/// <param name="MonthlySaving">$ per month; negative for an increase; null when unpriced.</param>
[GenerateSerializer, Immutable]
public sealed record WorkloadRecommendation(
    string Namespace,
    string Workload,
    string Kind,
    int Replicas,
    string Code,
    string? Risk,
    double Confidence,
    PodResourceSpec Current,
    PodResourceSpec Recommended,
    WorkloadUsage Usage,
    bool PodSpecsDiffer,
    double? MonthlySaving);

/// <param name="Code">no_usage_data, insufficient_window or no_pods.</param>
[GenerateSerializer, Immutable]
public sealed record SkippedWorkload(string Namespace, string Workload, string Code);
