using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace SpotOptimizer.Agent.Commands;

/// <summary>
/// Karpenter's NodePools (<c>karpenter.sh/v1</c>, when the API's discovery shows them): the platform's purchase policy
/// (capacity types, consolidation) and safe mode's On-Demand fallback, which keeps each pool's own capacity types in an
/// annotation so leaving safe mode restores them. Merge patches: custom resources take no strategic merge, and the
/// requirement list is replaced whole, with every other requirement kept as read.
/// </summary>
public sealed class NodePoolPolicy(IKubernetes kubernetes)
{
    public const string Group = "karpenter.sh";
    public const string Version = "v1";
    public const string Plural = "nodepools";
    public const string CapacityTypeKey = "karpenter.sh/capacity-type";
    public const string OriginalAnnotation = "spotoptimizer.io/safe-mode-original-capacity-types";

    public async Task<bool> InstalledAsync(CancellationToken cancellationToken)
    {
        var groups = await kubernetes.Apis.GetAPIVersionsAsync(cancellationToken);
        if (groups.Groups?.Any(g => g.Name == Group && g.Versions.Any(v => v.Version == Version)) != true) return false;
        var resources = await kubernetes.CustomObjects.GetAPIResourcesAsync(Group, Version, cancellationToken);
        return resources.Resources?.Any(r => r.Name == Plural) == true;
    }

    public async Task<CommandResult> ApplyAsync(AgentCommand command, CancellationToken cancellationToken)
    {
        if (command.Karpenter is not { } policy) return CommandResult.Skipped(command, null, "the command carries no karpenter policy");
        if (!policy.Enabled) return CommandResult.Skipped(command, null, "the karpenter policy is disabled: NodePools left as they are");
        if (!await InstalledAsync(cancellationToken)) return CommandResult.Skipped(command, ResultCodes.KarpenterNotInstalled, "no karpenter.sh/v1 nodepools in the API's discovery");
        // Karpenter already prefers Spot and falls back to On-Demand when both are allowed, so the fallback is On-Demand's presence.
        var types = policy.FallbackOnDemand && !policy.CapacityTypes.Contains("on-demand") ? [.. policy.CapacityTypes, "on-demand"] : policy.CapacityTypes;
        var pools = await ListAsync(cancellationToken);
        foreach (var pool in pools)
        {
            var spec = new JsonObject { ["template"] = TemplateWith(pool, types) };
            if (policy.ConsolidationPolicy is { } consolidation) spec["disruption"] = new JsonObject { ["consolidationPolicy"] = consolidation };
            await PatchAsync(Name(pool), new JsonObject { ["spec"] = spec }, command.DryRun, cancellationToken);
        }

        return CommandResult.Succeeded(command, $"{pools.Count} NodePool(s): capacity types {string.Join(",", types)}" +
            (policy.ConsolidationPolicy is { } c ? $", consolidation {c}" : ""));
    }

    /// <returns>The NodePools put on On-Demand only; null when Karpenter is not installed.</returns>
    public async Task<IReadOnlyList<string>?> ForceOnDemandAsync(CancellationToken cancellationToken)
    {
        if (!await InstalledAsync(cancellationToken)) return null;
        var changed = new List<string>();
        foreach (var pool in await ListAsync(cancellationToken))
        {
            // A pool already carrying the annotation keeps its first original: a second entry must not save "on-demand".
            if (pool["metadata"]?["annotations"]?[OriginalAnnotation] is not null) continue;
            var original = CapacityTypes(pool) is { } types ? new JsonArray([.. types.Select(t => (JsonNode)JsonValue.Create(t))]).ToJsonString() : "null";
            await PatchAsync(Name(pool), new JsonObject
            {
                ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { [OriginalAnnotation] = original } },
                ["spec"] = new JsonObject { ["template"] = TemplateWith(pool, ["on-demand"]) },
            }, dryRun: false, cancellationToken);
            changed.Add(Name(pool));
        }

        return changed;
    }

    /// <returns>The NodePools given back their own capacity types (those safe mode changed).</returns>
    public async Task<IReadOnlyList<string>> RestoreAsync(CancellationToken cancellationToken)
    {
        if (!await InstalledAsync(cancellationToken)) return [];
        var restored = new List<string>();
        foreach (var pool in await ListAsync(cancellationToken))
        {
            if (pool["metadata"]?["annotations"]?[OriginalAnnotation]?.GetValue<string>() is not { } saved) continue;
            var original = JsonNode.Parse(saved) is JsonArray values ? values.Select(v => v!.GetValue<string>()).ToList() : null;
            await PatchAsync(Name(pool), new JsonObject
            {
                ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { [OriginalAnnotation] = null } },
                ["spec"] = new JsonObject { ["template"] = TemplateWith(pool, original) },
            }, dryRun: false, cancellationToken);
            restored.Add(Name(pool));
        }

        return restored;
    }

    /// <returns>The NodePools carrying safe mode's annotation (none without Karpenter).</returns>
    public async Task<IReadOnlyList<string>> MarkedAsync(CancellationToken cancellationToken) =>
        await InstalledAsync(cancellationToken)
            ? [.. (await ListAsync(cancellationToken)).Where(p => p["metadata"]?["annotations"]?[OriginalAnnotation] is not null).Select(Name)]
            : [];

    public async Task<IReadOnlyList<JsonObject>> ListAsync(CancellationToken cancellationToken)
    {
        var list = await kubernetes.CustomObjects.ListClusterCustomObjectAsync<JsonObject>(Group, Version, Plural, cancellationToken: cancellationToken);
        return [.. (list["items"] as JsonArray ?? []).OfType<JsonObject>()];
    }

    public static IReadOnlyList<string>? CapacityTypes(JsonObject pool) =>
        Requirements(pool).FirstOrDefault(r => r["key"]?.GetValue<string>() == CapacityTypeKey)?["values"] is JsonArray values
            ? [.. values.Select(v => v!.GetValue<string>())]
            : null;

    private Task PatchAsync(string name, JsonObject patch, bool dryRun, CancellationToken cancellationToken) =>
        kubernetes.CustomObjects.PatchClusterCustomObjectAsync(new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch),
            Group, Version, Plural, name, dryRun: dryRun ? "All" : null, cancellationToken: cancellationToken);

    /// <summary><c>{"spec":{"requirements":[…]}}</c> with the capacity-type requirement set to <paramref name="types"/> (removed when null).</summary>
    private static JsonObject TemplateWith(JsonObject pool, IReadOnlyList<string>? types)
    {
        var requirements = new JsonArray([.. Requirements(pool).Where(r => r["key"]?.GetValue<string>() != CapacityTypeKey).Select(r => r.DeepClone())]);
        if (types is not null)
        {
            requirements.Insert(0, new JsonObject
            {
                ["key"] = CapacityTypeKey, ["operator"] = "In", ["values"] = new JsonArray([.. types.Select(t => (JsonNode)JsonValue.Create(t))]),
            });
        }

        return new JsonObject { ["spec"] = new JsonObject { ["requirements"] = requirements } };
    }

    private static IEnumerable<JsonObject> Requirements(JsonObject pool) =>
        (pool["spec"]?["template"]?["spec"]?["requirements"] as JsonArray ?? []).OfType<JsonObject>();

    private static string Name(JsonObject pool) => pool["metadata"]!["name"]!.GetValue<string>();
}
