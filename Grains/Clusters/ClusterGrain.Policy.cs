using System.Text.Json;
using SpotOptimizer.Grains.Interfaces.Clusters;
using SpotOptimizer.Grains.Interfaces.Governance;

namespace SpotOptimizer.Grains.Clusters;

public sealed partial class ClusterGrain
{
    private static readonly JsonSerializerOptions PolicyJson = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public Task<PolicyView?> GetPolicy(string organizationId) =>
        Task.FromResult(Owns(organizationId) ? new PolicyView(this.GetPrimaryKeyString(), state.State.PolicyVersion, state.State.Policy) : null);

    public async Task<PolicyResult?> UpdatePolicy(string organizationId, string actor, PolicyPatch patch)
    {
        if (!Owns(organizationId)) return null;
        var before = state.State.Policy;
        var after = before with
        {
            KarpenterEnabled = patch.KarpenterEnabled ?? before.KarpenterEnabled,
            KarpenterStrategy = patch.KarpenterStrategy ?? before.KarpenterStrategy,
            TemplateId = patch.TemplateId ?? before.TemplateId,
            BinpackAggressiveness = patch.BinpackAggressiveness ?? before.BinpackAggressiveness,
            OnDemandFallback = patch.OnDemandFallback ?? before.OnDemandFallback,
            DryRun = patch.DryRun ?? before.DryRun,
            Headroom = patch.Headroom is { } headroom ? (headroom.IsNone ? null : headroom) : before.Headroom,
            ExcludedNamespaces = patch.ExcludedNamespaces is { } namespaces
                ? [.. ClusterPolicy.AlwaysExcluded.Concat(namespaces).Distinct(StringComparer.Ordinal)]
                : before.ExcludedNamespaces,
        };
        if (after.TemplateId != before.TemplateId
            && !await GrainFactory.GetGrain<ITemplateCatalogGrain>(organizationId).Assign(this.GetPrimaryKeyString(), after.TemplateId))
        {
            return new PolicyResult(new PolicyView(this.GetPrimaryKeyString(), state.State.PolicyVersion, before), "template_not_found");
        }

        if (!Same(before, after))
        {
            state.State.Policy = after;
            state.State.PolicyVersion++;
            await state.WriteStateAsync();
            await activity.RecordAsync(organizationId, actor, "policy.updated", Resource,
                JsonSerializer.Serialize(after, PolicyJson), CancellationToken.None, before: JsonSerializer.Serialize(before, PolicyJson));
            await SendKarpenterPolicyAsync(organizationId, actor, before, after);
        }

        return new PolicyResult(new PolicyView(this.GetPrimaryKeyString(), state.State.PolicyVersion, state.State.Policy), null);
    }

    /// <summary>Record equality compares the namespace list by reference; a no-op patch must not bump the version.</summary>
    private static bool Same(ClusterPolicy left, ClusterPolicy right) =>
        left.ExcludedNamespaces.SequenceEqual(right.ExcludedNamespaces)
        && left with { ExcludedNamespaces = NoNamespaces } == right with { ExcludedNamespaces = NoNamespaces };

    private static readonly string[] NoNamespaces = [];
}
