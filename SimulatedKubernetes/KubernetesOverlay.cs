using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace SpotOptimizer.SimulatedKubernetes;

/// <summary>
/// What has been written to one simulated cluster's Kubernetes API (node patches, evictions, NodePool patches), laid
/// over the objects generated from the simulated world on every request, so writes stick for this process's life.
/// Thread-safe: the API server's handlers run concurrently.
/// </summary>
public sealed class KubernetesOverlay
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, JsonObject> _nodes = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Namespace, string Name), string?> _placements = [];
    private readonly Dictionary<string, JsonObject> _nodePools = new(StringComparer.Ordinal);

    /// <summary>Whether the cluster has Karpenter's CRDs; null (the default): when any of its nodes belongs to a NodePool.</summary>
    public bool? KarpenterInstalled { get; set; }

    /// <summary>Evictions answered 429 because of a PodDisruptionBudget, for tests that wait for a refusal.</summary>
    public int EvictionsRefused { get; private set; }

    /// <summary>The generated objects with every write applied.</summary>
    public KubernetesObjects Apply(KubernetesObjects generated)
    {
        lock (_lock) return ApplyLocked(generated);
    }

    /// <returns>The HTTP status and the API's JSON body (the patched node, or a Status).</returns>
    public (int Status, string Body) PatchNode(KubernetesObjects generated, string name, string? contentType, string body, bool dryRun)
    {
        lock (_lock)
        {
            if (ApplyLocked(generated).Nodes.Items.FirstOrDefault(n => n.Metadata.Name == name) is not { } node) return KubernetesStatus.NotFound("nodes", name);
            var (patched, error) = KubernetesPatches.Apply(JsonOf(node), contentType, body);
            if (patched is null) return KubernetesStatus.Invalid(error!);
            V1Node result;
            try
            {
                result = KubernetesJson.Deserialize<V1Node>(patched.ToJsonString());
            }
            catch (System.Text.Json.JsonException e)
            {
                return KubernetesStatus.Invalid($"the patched node is not a valid Node: {e.Message}");
            }

            if (result.Metadata?.Name != name) return KubernetesStatus.Invalid("metadata.name cannot change");
            if (!dryRun) _nodes[name] = patched;
            return (200, patched.ToJsonString());
        }
    }

    public (int Status, string Body) Evict(KubernetesObjects generated, string ns, string name, bool dryRun)
    {
        lock (_lock)
        {
            var current = ApplyLocked(generated);
            if (current.Pods.Items.FirstOrDefault(p => p.Metadata.NamespaceProperty == ns && p.Metadata.Name == name) is not { } pod) return KubernetesStatus.NotFound("pods", name);
            if (Healthy(pod) && KubernetesEvictions.BlockingBudget(current, pod) is { } blocked)
            {
                EvictionsRefused++;
                return KubernetesStatus.DisruptionBudget(blocked);
            }

            if (!dryRun) _placements[(ns, name)] = KubernetesEvictions.Reschedule(current, pod);
            return KubernetesStatus.Created();
        }
    }

    public (int Status, string Body) PatchNodePool(KubernetesObjects generated, string name, string? contentType, string body, bool dryRun)
    {
        lock (_lock)
        {
            if (ApplyLocked(generated).NodePools is not { } pools) return KubernetesStatus.NotFound("nodepools", name);
            if (pools.FirstOrDefault(p => p["metadata"]?["name"]?.GetValue<string>() == name) is not { } pool) return KubernetesStatus.NotFound("nodepools", name);
            var (patched, error) = KubernetesPatches.Apply(pool, contentType, body);
            if (patched is null) return KubernetesStatus.Invalid(error!);
            if (!dryRun) _nodePools[name] = patched;
            return (200, patched.ToJsonString());
        }
    }

    internal static bool Healthy(V1Pod pod) => pod.Spec.NodeName is not null && pod.Status?.Phase == "Running";

    private KubernetesObjects ApplyLocked(KubernetesObjects generated)
    {
        var nodes = generated.Nodes.Items
            .Select(n => _nodes.TryGetValue(n.Metadata.Name, out var patched) ? KubernetesJson.Deserialize<V1Node>(patched.ToJsonString()) : n)
            .ToList();
        var pods = generated.Pods.Items
            .Select(p => _placements.TryGetValue((p.Metadata.NamespaceProperty, p.Metadata.Name), out var node) ? Placed(p, node) : p)
            .ToList();
        var installed = KarpenterInstalled ?? generated.Nodes.Items.Any(n => n.Metadata.Labels?.ContainsKey(KarpenterNodePools.NodePoolLabel) == true);
        List<JsonObject>? pools = null;
        if (installed)
        {
            foreach (var seeded in KarpenterNodePools.Seed(generated.Nodes.Items)) _nodePools.TryAdd(seeded["metadata"]!["name"]!.GetValue<string>(), seeded);
            pools = [.. _nodePools.Values.OrderBy(p => p["metadata"]!["name"]!.GetValue<string>(), StringComparer.Ordinal).Select(p => (JsonObject)p.DeepClone())];
        }

        return generated with
        {
            Nodes = new V1NodeList { ApiVersion = "v1", Kind = "NodeList", Metadata = new V1ListMeta(), Items = nodes },
            Pods = new V1PodList { ApiVersion = "v1", Kind = "PodList", Metadata = new V1ListMeta(), Items = pods },
            NodePools = pools,
        };
    }

    /// <summary>A copy of the pod on its new node, or pending when no node would take it.</summary>
    private static V1Pod Placed(V1Pod pod, string? node)
    {
        var copy = KubernetesJson.Deserialize<V1Pod>(KubernetesJson.Serialize(pod));
        copy.Spec.NodeName = node;
        copy.Status ??= new V1PodStatus();
        copy.Status.Phase = node is null ? "Pending" : "Running";
        return copy;
    }

    private static JsonObject JsonOf(object value) => JsonNode.Parse(KubernetesJson.Serialize(value))!.AsObject();
}

/// <summary>Every simulated cluster's overlay in this process, by cluster: one instance per process (a singleton).</summary>
public sealed class SimulatedKubernetesClusters
{
    private readonly ConcurrentDictionary<string, KubernetesOverlay> _clusters = new(StringComparer.Ordinal);

    public KubernetesOverlay For(string clusterId) => _clusters.GetOrAdd(clusterId, _ => new KubernetesOverlay());
}
