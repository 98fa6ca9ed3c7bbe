using System.Security.Cryptography;
using System.Text;
using k8s.Models;
using SpotOptimizer.Grains.Interfaces.Clusters;

namespace SpotOptimizer.SimulatedKubernetes;

/// <summary>
/// A simulated cluster's objects as its Kubernetes API would list them: nodes, pods (DaemonSet pods included),
/// ReplicaSets and the Deployments that own them, StatefulSets, DaemonSets and PodDisruptionBudgets. Built from the
/// inventory <see cref="SimulatedWorkloads"/> generates, so an agent reading them should report that inventory back
/// (usage comes from the metrics API, <see cref="KubernetesPodMetrics"/>).
/// </summary>
public sealed record KubernetesObjects(
    V1NodeList Nodes,
    V1PodList Pods,
    V1PodDisruptionBudgetList DisruptionBudgets,
    V1ReplicaSetList ReplicaSets,
    V1DeploymentList Deployments,
    V1StatefulSetList StatefulSets,
    V1DaemonSetList DaemonSets)
{
    public const string DoNotDisrupt = "spotoptimizer.io/do-not-disrupt";

    /// <summary>Karpenter's NodePools (<c>karpenter.sh/v1</c>) when the cluster has its CRDs; null when it has not.</summary>
    public IReadOnlyList<System.Text.Json.Nodes.JsonObject>? NodePools { get; init; }

    /// <summary>The events recorded in the cluster (only Karpenter's Spot warnings are simulated); null: none.</summary>
    public Corev1EventList? Events { get; init; }

    /// <summary>
    /// metrics-server's view (<see cref="KubernetesPodMetrics"/>): each workload's usage shape by <c>namespace/name</c>;
    /// null on a cluster without metrics-server. EKS clusters usually have it (an add-on), so generated ones do.
    /// </summary>
    public IReadOnlyDictionary<string, WorkloadUsage?>? PodUsage { get; init; }

    public const string AppLabel = "app.kubernetes.io/name";

    /// <summary>The DaemonSets every EKS node runs; the inventory's overhead is split among them.</summary>
    public static readonly string[] DaemonSetNames = ["aws-node", "kube-proxy", "ebs-csi-node"];

    public static KubernetesObjects From(AgentInventory inventory)
    {
        var workloads = inventory.Workloads.ToDictionary(w => (w.Namespace, w.Name), w => w);
        var pods = inventory.Pods.Select(KubernetesPods.From)
            .Concat(inventory.Nodes.SelectMany(n => KubernetesPods.DaemonSetPods(n.Name, inventory.DaemonSetOverhead)))
            .ToList();
        var deployments = inventory.Workloads.Where(w => w.Kind == "Deployment").ToList();
        return new KubernetesObjects(
            new V1NodeList { ApiVersion = "v1", Kind = "NodeList", Metadata = new V1ListMeta(), Items = [.. inventory.Nodes.Select(KubernetesNodes.From)] },
            new V1PodList { ApiVersion = "v1", Kind = "PodList", Metadata = new V1ListMeta(), Items = pods },
            new V1PodDisruptionBudgetList
            {
                ApiVersion = "policy/v1", Kind = "PodDisruptionBudgetList", Metadata = new V1ListMeta(),
                Items = [.. inventory.Workloads.Select(KubernetesWorkloads.DisruptionBudget).OfType<V1PodDisruptionBudget>()],
            },
            new V1ReplicaSetList { ApiVersion = "apps/v1", Kind = "ReplicaSetList", Metadata = new V1ListMeta(), Items = [.. deployments.Select(KubernetesWorkloads.ReplicaSet)] },
            new V1DeploymentList
            {
                ApiVersion = "apps/v1", Kind = "DeploymentList", Metadata = new V1ListMeta(),
                Items = [.. deployments.Select(w => KubernetesWorkloads.Deployment(w, Template(inventory, w)))],
            },
            new V1StatefulSetList
            {
                ApiVersion = "apps/v1", Kind = "StatefulSetList", Metadata = new V1ListMeta(),
                Items = [.. inventory.Workloads.Where(w => w.Kind == "StatefulSet").Select(w => KubernetesWorkloads.StatefulSet(w, Template(inventory, w)))],
            },
            new V1DaemonSetList { ApiVersion = "apps/v1", Kind = "DaemonSetList", Metadata = new V1ListMeta(), Items = [.. DaemonSetNames.Select(KubernetesWorkloads.DaemonSet)] })
        {
            PodUsage = inventory.Workloads.GroupBy(w => $"{w.Namespace}/{w.Name}", StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Usage, StringComparer.Ordinal),
        };
    }

    /// <summary>A workload's pod template: its first pod's resources, and the placement rules the workload declares.</summary>
    private static V1PodTemplateSpec Template(AgentInventory inventory, InventoryWorkload workload)
    {
        var pod = inventory.Pods.First(p => p.Namespace == workload.Namespace && p.Workload == workload.Name);
        return KubernetesWorkloads.Template(workload, KubernetesPods.Container(pod));
    }

    /// <summary>Stable ids: the same world lists the same objects.</summary>
    public static string Uid(string kind, string name)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{kind}/{name}"));
        return new Guid(hash.AsSpan(0, 16)).ToString();
    }

    /// <summary>The pod-template-hash part of a ReplicaSet's name.</summary>
    public static string TemplateHash(string name) =>
        new([.. SHA256.HashData(Encoding.UTF8.GetBytes(name)).Take(9).Select(b => "bcdfghjklmnpqrstvwxz2456789"[b % 27])]);
}
