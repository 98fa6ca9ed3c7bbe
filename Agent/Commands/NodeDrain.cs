using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Options;
using SpotOptimizer.Agent.Reporting;

namespace SpotOptimizer.Agent.Commands;

/// <summary>
/// Drain as <c>kubectl drain</c> does it, through the Eviction API so PodDisruptionBudgets hold: refuse the whole drain
/// before touching anything when the node or a pod to evict must not be disrupted or sits in an excluded namespace;
/// cordon; evict every pod but DaemonSet and mirror pods (their controllers would put them straight back), retrying a
/// budget's 429 every <see cref="AgentOptions.EvictionRetry"/> until <see cref="AgentOptions.DrainTimeout"/>; then wait
/// until the evicted pods have left the node. A dry run asks the API server to evict with <c>dryRun=All</c> and waits for nothing.
/// </summary>
public sealed class NodeDrain(IKubernetes kubernetes, NodeCommands nodes, IOptions<AgentOptions> options, TimeProvider time)
{
    public const string DoNotDisrupt = "spotoptimizer.io/do-not-disrupt";
    public const string MirrorAnnotation = "kubernetes.io/config.mirror";

    public async Task<CommandResult> DrainAsync(AgentCommand command, CancellationToken cancellationToken)
    {
        var name = command.NodeName!;
        var node = await kubernetes.CoreV1.ReadNodeAsync(name, cancellationToken: cancellationToken);
        if (Protected(node.Metadata)) return CommandResult.Skipped(command, ResultCodes.DoNotDisrupt, $"node {name} carries {DoNotDisrupt}=true");
        var pods = await PodsOnAsync(name, cancellationToken);
        var toEvict = pods.Where(p => !DaemonSetPod(p) && p.Metadata.Annotations?.ContainsKey(MirrorAnnotation) != true).ToList();
        if (toEvict.FirstOrDefault(p => Protected(p.Metadata)) is { } kept)
            return CommandResult.Skipped(command, ResultCodes.DoNotDisrupt, $"pod {kept.Metadata.NamespaceProperty}/{kept.Metadata.Name} carries {DoNotDisrupt}=true");
        var excluded = command.ExcludedNamespaces ?? [];
        if (toEvict.FirstOrDefault(p => excluded.Contains(p.Metadata.NamespaceProperty)) is { } inExcluded)
            return CommandResult.Skipped(command, ResultCodes.ExcludedNamespace, $"pod {inExcluded.Metadata.NamespaceProperty}/{inExcluded.Metadata.Name} is in an excluded namespace");

        await nodes.PatchNodeAsync(name, new JsonObject { ["spec"] = new JsonObject { ["unschedulable"] = true } }, V1Patch.PatchType.StrategicMergePatch, command.DryRun, cancellationToken);
        var deadline = time.GetUtcNow() + options.Value.DrainTimeout;
        var evicted = new List<V1Pod>();
        foreach (var pod in toEvict)
        {
            if (!await EvictAsync(pod, command.DryRun, deadline, cancellationToken))
            {
                return CommandResult.Failed(command, ResultCodes.PdbBlocked,
                    $"pod {pod.Metadata.NamespaceProperty}/{pod.Metadata.Name}: its PodDisruptionBudget still refused after {options.Value.DrainTimeout}; {evicted.Count} pod(s) evicted, the node stays cordoned",
                    evicted.Count);
            }

            evicted.Add(pod);
        }

        var dry = command.DryRun ? " (dry run)" : "";
        if (command.DryRun || await GoneAsync(name, evicted, deadline, cancellationToken))
            return CommandResult.Succeeded(command, $"node {name} cordoned and drained: {evicted.Count} pod(s) evicted{dry}", evicted.Count);
        return CommandResult.Failed(command, ResultCodes.Timeout, $"evicted pods still on node {name} after {options.Value.DrainTimeout}", evicted.Count);
    }

    /// <returns>False when the budget still refused at the deadline. A pod already gone counts as evicted.</returns>
    private async Task<bool> EvictAsync(V1Pod pod, bool dryRun, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        var eviction = new V1Eviction { Metadata = new V1ObjectMeta { Name = pod.Metadata.Name, NamespaceProperty = pod.Metadata.NamespaceProperty } };
        while (true)
        {
            try
            {
                await kubernetes.CoreV1.CreateNamespacedPodEvictionAsync(eviction, pod.Metadata.Name, pod.Metadata.NamespaceProperty, dryRun: dryRun ? "All" : null, cancellationToken: cancellationToken);
                return true;
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
            {
                return true;
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                var left = deadline - time.GetUtcNow();
                if (left <= TimeSpan.Zero) return false;
                await Task.Delay(left < options.Value.EvictionRetry ? left : options.Value.EvictionRetry, time, cancellationToken);
            }
        }
    }

    private async Task<bool> GoneAsync(string node, List<V1Pod> evicted, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        var uids = evicted.Select(p => p.Metadata.Uid).ToHashSet(StringComparer.Ordinal);
        while ((await PodsOnAsync(node, cancellationToken)).Any(p => uids.Contains(p.Metadata.Uid)))
        {
            if (time.GetUtcNow() >= deadline) return false;
            await Task.Delay(options.Value.EvictionRetry, time, cancellationToken);
        }

        return true;
    }

    /// <summary>By field selector; filtered again here, which costs nothing against an API server that honours it.</summary>
    private async Task<List<V1Pod>> PodsOnAsync(string node, CancellationToken cancellationToken) =>
        [.. (await kubernetes.CoreV1.ListPodForAllNamespacesAsync(fieldSelector: $"spec.nodeName={node}", cancellationToken: cancellationToken)).Items
            .Where(p => p.Spec?.NodeName == node && p.Status?.Phase is not ("Succeeded" or "Failed"))];

    public static bool Protected(V1ObjectMeta? meta) =>
        meta?.Labels?.TryGetValue(DoNotDisrupt, out var label) == true && label == "true"
        || meta?.Annotations?.TryGetValue(DoNotDisrupt, out var annotation) == true && annotation == "true";

    private static bool DaemonSetPod(V1Pod pod) => pod.Metadata.OwnerReferences?.Any(o => o.Kind == "DaemonSet" && o.Controller == true) == true;
}
