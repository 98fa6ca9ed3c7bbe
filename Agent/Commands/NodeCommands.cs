using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace SpotOptimizer.Agent.Commands;

/// <summary>
/// Cordon, uncordon, label and taint: one PATCH of the node each (RBAC: nodes get, patch). Cordon and labels go as
/// strategic merge patches, as kubectl sends them; taints as a merge patch of the whole list (it has no merge key), built
/// from the node as read. A dry run is the API server's own (<c>dryRun=All</c>): validated, answered, not stored.
/// </summary>
public sealed class NodeCommands(IKubernetes kubernetes)
{
    public Task<CommandResult> CordonAsync(AgentCommand command, bool unschedulable, CancellationToken cancellationToken) =>
        PatchAsync(command, new JsonObject { ["spec"] = new JsonObject { ["unschedulable"] = unschedulable ? true : null } }, V1Patch.PatchType.StrategicMergePatch,
            unschedulable ? "cordoned" : "uncordoned", cancellationToken);

    public Task<CommandResult> LabelAsync(AgentCommand command, CancellationToken cancellationToken)
    {
        var labels = new JsonObject();
        foreach (var (key, value) in command.Labels ?? []) labels[key] = value;
        return PatchAsync(command, new JsonObject { ["metadata"] = new JsonObject { ["labels"] = labels } }, V1Patch.PatchType.StrategicMergePatch,
            $"{labels.Count} label(s) set or removed", cancellationToken);
    }

    public async Task<CommandResult> TaintAsync(AgentCommand command, CancellationToken cancellationToken)
    {
        var node = await kubernetes.CoreV1.ReadNodeAsync(command.NodeName, cancellationToken: cancellationToken);
        var added = command.Taints ?? [];
        var removed = command.RemoveTaints ?? [];
        var taints = (node.Spec?.Taints ?? [])
            .Where(t => !removed.Contains(t.Key) && !added.Any(a => a.Key == t.Key && a.Effect == t.Effect))
            .Concat(added.Select(a => new V1Taint { Key = a.Key, Value = a.Value, Effect = a.Effect }))
            .ToList();
        var list = taints.Count == 0 ? null : JsonNode.Parse(KubernetesJson.Serialize(taints));
        return await PatchAsync(command, new JsonObject { ["spec"] = new JsonObject { ["taints"] = list } }, V1Patch.PatchType.MergePatch,
            $"{added.Count} taint(s) set, {removed.Count} key(s) removed", cancellationToken);
    }

    public Task PatchNodeAsync(string node, JsonObject patch, V1Patch.PatchType type, bool dryRun, CancellationToken cancellationToken) =>
        kubernetes.CoreV1.PatchNodeAsync(new V1Patch(patch.ToJsonString(), type), node, dryRun: dryRun ? "All" : null, cancellationToken: cancellationToken);

    private async Task<CommandResult> PatchAsync(AgentCommand command, JsonObject patch, V1Patch.PatchType type, string done, CancellationToken cancellationToken)
    {
        await PatchNodeAsync(command.NodeName!, patch, type, command.DryRun, cancellationToken);
        return CommandResult.Succeeded(command, $"node {command.NodeName} {done}{(command.DryRun ? " (dry run)" : "")}");
    }
}
