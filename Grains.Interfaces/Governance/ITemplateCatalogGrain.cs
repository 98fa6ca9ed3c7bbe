using Orleans;
using Orleans.Concurrency;

namespace SpotOptimizer.Grains.Interfaces.Governance;

/// <summary>
/// An organization's node templates, keyed by organization id. One activation serializes every change, so
/// "exactly one default" holds under concurrent requests without database locks.
/// </summary>
public interface ITemplateCatalogGrain : IGrainWithStringKey
{
    [ReadOnly]
    Task<IReadOnlyList<NodeTemplate>> List();

    Task<NodeTemplate> Create(NodeTemplateDraft draft, string actor);

    /// <returns>False when no live template has that id.</returns>
    Task<bool> SetDefault(string templateId, string actor);

    Task<TemplateDeletion> Delete(string templateId, string actor);

    /// <summary>Records that a cluster's policy now names this template (or none); false when the template does not exist.</summary>
    Task<bool> Assign(string clusterId, string? templateId);
}

public static class TemplateStrategies
{
    public const string Spot = "spot";
    public const string OnDemand = "on_demand";
    public const string Mixed = "mixed";

    public static readonly IReadOnlyList<string> All = [Spot, OnDemand, Mixed];
}

[GenerateSerializer, Immutable]
public sealed record NodeTemplateDraft(string Name, IReadOnlyList<string> Families, IReadOnlyList<string> Architectures, string Strategy, int MinVcpu, int MaxVcpu);

[GenerateSerializer, Immutable]
public sealed record NodeTemplate(
    string Id,
    string Name,
    IReadOnlyList<string> Families,
    IReadOnlyList<string> Architectures,
    string Strategy,
    int MinVcpu,
    int MaxVcpu,
    bool IsDefault,
    IReadOnlyList<string> UsedBy,
    DateTimeOffset CreatedAt);

[GenerateSerializer]
public enum TemplateDeletion
{
    Deleted,
    NotFound,
    InUse,
}
