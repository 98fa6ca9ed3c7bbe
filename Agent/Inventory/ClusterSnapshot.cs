using k8s.Models;

namespace SpotOptimizer.Agent.Inventory;

/// <summary>One tick's reads of the Kubernetes API, as the API returned them: the input of <see cref="InventoryMapper"/>.</summary>
public sealed record ClusterSnapshot(
    IReadOnlyList<V1Node> Nodes,
    IReadOnlyList<V1Pod> Pods,
    IReadOnlyList<V1PodDisruptionBudget> DisruptionBudgets,
    IReadOnlyList<V1ReplicaSet> ReplicaSets,
    IReadOnlyList<V1Deployment> Deployments,
    IReadOnlyList<V1StatefulSet> StatefulSets,
    IReadOnlyList<V1DaemonSet> DaemonSets);
