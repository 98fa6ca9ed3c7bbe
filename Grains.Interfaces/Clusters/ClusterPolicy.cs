using Orleans;
namespace SpotOptimizer.Grains.Interfaces.Clusters;

/// <summary>How the optimizer may treat a cluster. Every change bumps the policy version agents see on their next heartbeat.</summary>
/// <param name="DryRun">The optimizer plans and audits every action for this cluster but changes nothing (a per-cluster SAFE_MODE).</param>
[GenerateSerializer, Immutable]
public sealed record ClusterPolicy(
    bool KarpenterEnabled,
    string KarpenterStrategy,
    string? TemplateId,
    int BinpackAggressiveness,
    bool OnDemandFallback,
    IReadOnlyList<string> ExcludedNamespaces,
    bool DryRun = false)
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
    bool? DryRun = null);

[GenerateSerializer, Immutable]
public sealed record PolicyView(string ClusterId, int PolicyVersion, ClusterPolicy Policy);

/// <param name="Error">A stable code when the patch was refused (nothing changed), e.g. template_not_found.</param>
[GenerateSerializer, Immutable]
public sealed record PolicyResult(PolicyView View, string? Error);
