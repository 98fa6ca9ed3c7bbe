using k8s;
using SpotOptimizer.Agent.Inventory;

namespace SpotOptimizer.Agent.Reporting;

/// <summary>One tick's reads of the Kubernetes API (lists only; the RBAC role needs get/list on these resources).</summary>
public sealed class ClusterReader(IKubernetes kubernetes)
{
    public async Task<ClusterSnapshot> ReadAsync(CancellationToken cancellationToken)
    {
        var nodes = kubernetes.CoreV1.ListNodeAsync(cancellationToken: cancellationToken);
        var pods = kubernetes.CoreV1.ListPodForAllNamespacesAsync(cancellationToken: cancellationToken);
        var budgets = kubernetes.PolicyV1.ListPodDisruptionBudgetForAllNamespacesAsync(cancellationToken: cancellationToken);
        var replicaSets = kubernetes.AppsV1.ListReplicaSetForAllNamespacesAsync(cancellationToken: cancellationToken);
        var deployments = kubernetes.AppsV1.ListDeploymentForAllNamespacesAsync(cancellationToken: cancellationToken);
        var statefulSets = kubernetes.AppsV1.ListStatefulSetForAllNamespacesAsync(cancellationToken: cancellationToken);
        var daemonSets = kubernetes.AppsV1.ListDaemonSetForAllNamespacesAsync(cancellationToken: cancellationToken);
        return new ClusterSnapshot(
            [.. (await nodes).Items], [.. (await pods).Items], [.. (await budgets).Items], [.. (await replicaSets).Items],
            [.. (await deployments).Items], [.. (await statefulSets).Items], [.. (await daemonSets).Items]);
    }

    public static KubernetesClientConfiguration Configuration(string? kubeconfig) =>
        string.IsNullOrWhiteSpace(kubeconfig)
            ? KubernetesClientConfiguration.InClusterConfig()
            : KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig);
}
