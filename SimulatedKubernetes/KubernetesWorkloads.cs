using k8s.Models;
using SpotOptimizer.Grains.Interfaces.Clusters;

namespace SpotOptimizer.SimulatedKubernetes;

/// <summary>Simulated workloads as controllers: templates carrying the placement rules, PDBs selecting the pods by their app label.</summary>
internal static class KubernetesWorkloads
{
    public static V1PodTemplateSpec Template(InventoryWorkload workload, V1Container container)
    {
        var selector = Selector(workload.Name);
        return new V1PodTemplateSpec
        {
            Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { [KubernetesObjects.AppLabel] = workload.Name } },
            Spec = new V1PodSpec
            {
                Containers = [container],
                Affinity = workload.OneReplicaPerNode
                    ? new V1Affinity { PodAntiAffinity = new V1PodAntiAffinity { RequiredDuringSchedulingIgnoredDuringExecution = [new V1PodAffinityTerm { LabelSelector = selector, TopologyKey = "kubernetes.io/hostname" }] } }
                    : null,
                TopologySpreadConstraints = workload.ZoneMaxSkew is { } skew
                    ? [new V1TopologySpreadConstraint { MaxSkew = skew, TopologyKey = "topology.kubernetes.io/zone", WhenUnsatisfiable = "DoNotSchedule", LabelSelector = selector }]
                    : null,
            },
        };
    }

    public static V1Deployment Deployment(InventoryWorkload workload, V1PodTemplateSpec template) => new()
    {
        ApiVersion = "apps/v1",
        Kind = "Deployment",
        Metadata = Meta("Deployment", workload.Namespace, workload.Name),
        Spec = new V1DeploymentSpec { Replicas = workload.Replicas, Selector = Selector(workload.Name), Template = template },
    };

    public static V1ReplicaSet ReplicaSet(InventoryWorkload deployment)
    {
        var meta = Meta("ReplicaSet", deployment.Namespace, $"{deployment.Name}-{KubernetesObjects.TemplateHash(deployment.Name)}");
        meta.OwnerReferences = [KubernetesPods.Owner("apps/v1", "Deployment", deployment.Name, deployment.Namespace)];
        return new V1ReplicaSet
        {
            ApiVersion = "apps/v1",
            Kind = "ReplicaSet",
            Metadata = meta,
            Spec = new V1ReplicaSetSpec { Replicas = deployment.Replicas, Selector = Selector(deployment.Name) },
        };
    }

    public static V1StatefulSet StatefulSet(InventoryWorkload workload, V1PodTemplateSpec template) => new()
    {
        ApiVersion = "apps/v1",
        Kind = "StatefulSet",
        Metadata = Meta("StatefulSet", workload.Namespace, workload.Name),
        Spec = new V1StatefulSetSpec { Replicas = workload.Replicas, Selector = Selector(workload.Name), Template = template, ServiceName = workload.Name },
    };

    public static V1DaemonSet DaemonSet(string name) => new()
    {
        ApiVersion = "apps/v1",
        Kind = "DaemonSet",
        Metadata = Meta("DaemonSet", "kube-system", name),
        Spec = new V1DaemonSetSpec
        {
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["k8s-app"] = name } },
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["k8s-app"] = name } },
                Spec = new V1PodSpec { Containers = [new V1Container { Name = name, Image = $"registry.example/kube-system/{name}:1" }] },
            },
        },
    };

    /// <returns>Null for a workload without a budget.</returns>
    public static V1PodDisruptionBudget? DisruptionBudget(InventoryWorkload workload) =>
        workload.PdbMinAvailable is null && workload.PdbMaxUnavailable is null ? null : new V1PodDisruptionBudget
        {
            ApiVersion = "policy/v1",
            Kind = "PodDisruptionBudget",
            Metadata = Meta("PodDisruptionBudget", workload.Namespace, workload.Name),
            Spec = new V1PodDisruptionBudgetSpec
            {
                MinAvailable = workload.PdbMinAvailable is { } min ? (IntOrString)min : null,
                MaxUnavailable = workload.PdbMaxUnavailable is { } max ? (IntOrString)max : null,
                Selector = Selector(workload.Name),
            },
        };

    private static V1ObjectMeta Meta(string kind, string ns, string name) =>
        new() { Name = name, NamespaceProperty = ns, Uid = KubernetesObjects.Uid(kind, $"{ns}/{name}") };

    private static V1LabelSelector Selector(string app) =>
        new() { MatchLabels = new Dictionary<string, string> { [KubernetesObjects.AppLabel] = app } };
}
