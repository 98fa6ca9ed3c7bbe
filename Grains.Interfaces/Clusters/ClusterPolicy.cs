using System.Text.Json.Serialization;
using Orleans;
namespace SpotOptimizer.Grains.Interfaces.Clusters;

/// <summary>How the optimizer may treat a cluster. Every change bumps the policy version agents see on their next heartbeat.</summary>
/// <param name="DryRun">The optimizer plans and audits every action for this cluster but changes nothing (a per-cluster SAFE_MODE).</param>
/// <param name="Headroom">Spare capacity packing and consolidation keep free; null: none.</param>
[GenerateSerializer, Immutable]
public sealed record ClusterPolicy(
    bool KarpenterEnabled,
    string KarpenterStrategy,
    string? TemplateId,
    int BinpackAggressiveness,
    bool OnDemandFallback,
    IReadOnlyList<string> ExcludedNamespaces,
    bool DryRun = false,
    HeadroomPolicy? Headroom = null)
{
    /// <summary>Namespaces the optimizer never touches, whatever the customer sets.</summary>
    public static readonly IReadOnlyList<string> AlwaysExcluded = ["kube-system"];

    public static readonly IReadOnlyList<string> Strategies = ["cost_optimized", "balanced", "stability"];

    public static ClusterPolicy Default { get; } = new(false, "balanced", null, 50, true, AlwaysExcluded);
}

/// <summary>A partial change: null fields stay as they are.</summary>
[GenerateSerializer, Immutable]
public sealed record PolicyPatch(
    bool? KarpenterEnabled = null,
    string? KarpenterStrategy = null,
    string? TemplateId = null,
    int? BinpackAggressiveness = null,
    bool? OnDemandFallback = null,
    IReadOnlyList<string>? ExcludedNamespaces = null,
    bool? DryRun = null,
    HeadroomPolicy? Headroom = null);

/// <summary>
/// Spare capacity a cluster keeps so that an interrupted node's pods, or a burst, schedule at once: per resource the
/// larger of an absolute amount and a share of all pods' requests (the packer's <c>Headroom</c>, as the policy stores it).
/// All zero means none; the policy keeps that as null so "none" has one spelling. JSON says <c>memory_mib</c>, as the
/// PATCH body does (snake case would make <c>memory_mi_b</c> of the name).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record HeadroomPolicy(int CpuMillicores, [property: JsonPropertyName("memory_mib")] int MemoryMiB, double ShareOfRequests)
{
    /// <summary>A whole 1,000-vCPU cluster's worth: anything larger is a typo, not a plan.</summary>
    public const int MaxCpuMillicores = 1_000_000;

    /// <summary>4 TiB.</summary>
    public const int MaxMemoryMiB = 4 * 1024 * 1024;

    /// <summary>Half of all requests spare already doubles the cluster; beyond that headroom is the cluster.</summary>
    public const double MaxShareOfRequests = 0.5;

    [JsonIgnore]
    public bool IsNone => CpuMillicores == 0 && MemoryMiB == 0 && ShareOfRequests == 0;
}

[GenerateSerializer, Immutable]
public sealed record PolicyView(string ClusterId, int PolicyVersion, ClusterPolicy Policy);

/// <param name="Error">A stable code when the patch was refused (nothing changed), e.g. template_not_found.</param>
[GenerateSerializer, Immutable]
public sealed record PolicyResult(PolicyView View, string? Error);
