using k8s.Models;

namespace SpotOptimizer.Agent.Inventory;

/// <summary>The workload a pod belongs to, following controller ownerReferences (a ReplicaSet's pod belongs to its Deployment).</summary>
public sealed class Owners(IEnumerable<V1ReplicaSet> replicaSets)
{
    private readonly Dictionary<(string, string), V1ReplicaSet> _replicaSets = replicaSets
        .GroupBy(r => (r.Metadata.NamespaceProperty, r.Metadata.Name))
        .ToDictionary(g => g.Key, g => g.First());

    /// <returns>The kind and name of the owning workload; ("Pod", its own name) for a bare pod.</returns>
    public (string Kind, string Name) Of(V1Pod pod)
    {
        if (Controller(pod.Metadata.OwnerReferences) is not { } owner) return ("Pod", pod.Metadata.Name);
        if (owner.Kind == "ReplicaSet"
            && _replicaSets.TryGetValue((pod.Metadata.NamespaceProperty, owner.Name), out var replicaSet)
            && Controller(replicaSet.Metadata.OwnerReferences) is { Kind: "Deployment" } deployment)
        {
            return ("Deployment", deployment.Name);
        }

        return (owner.Kind, owner.Name);
    }

    public static bool IsDaemonSetPod(V1Pod pod) => Controller(pod.Metadata.OwnerReferences)?.Kind == "DaemonSet";

    /// <summary>A static pod the kubelet runs from a file: the API server holds only a read-only mirror of it.</summary>
    public static bool IsMirrorPod(V1Pod pod) =>
        pod.Metadata.Annotations?.ContainsKey("kubernetes.io/config.mirror") == true || Controller(pod.Metadata.OwnerReferences)?.Kind == "Node";

    private static V1OwnerReference? Controller(IList<V1OwnerReference>? owners) =>
        owners?.FirstOrDefault(o => o.Controller == true) ?? (owners is { Count: 1 } ? owners[0] : null);
}
