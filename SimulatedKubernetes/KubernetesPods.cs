using k8s.Models;
using SpotOptimizer.Grains.Interfaces.Clusters;

namespace SpotOptimizer.SimulatedKubernetes;

/// <summary>Simulated pods in the Kubernetes API's shape: one container carrying the requests, owner references as controllers set them.</summary>
internal static class KubernetesPods
{
    public static V1Pod From(InventoryPod pod)
    {
        var owner = pod.OwnerKind switch
        {
            "Deployment" => Owner("apps/v1", "ReplicaSet", $"{pod.Workload}-{KubernetesObjects.TemplateHash(pod.Workload)}", pod.Namespace),
            "StatefulSet" => Owner("apps/v1", "StatefulSet", pod.Workload, pod.Namespace),
            "Job" => Owner("batch/v1", "Job", pod.Workload, pod.Namespace),
            _ => null,
        };
        return new V1Pod
        {
            ApiVersion = "v1",
            Kind = "Pod",
            Metadata = new V1ObjectMeta
            {
                Name = pod.Name,
                NamespaceProperty = pod.Namespace,
                Uid = KubernetesObjects.Uid("pod", $"{pod.Namespace}/{pod.Name}"),
                Labels = new Dictionary<string, string> { [KubernetesObjects.AppLabel] = pod.Workload },
                Annotations = pod.DoNotDisrupt ? new Dictionary<string, string> { [KubernetesObjects.DoNotDisrupt] = "true" } : null,
                OwnerReferences = owner is null ? null : [owner],
            },
            Spec = new V1PodSpec
            {
                Containers = [Container(pod)],
                NodeName = pod.Node,
                Priority = pod.Priority,
                Affinity = NodeAffinity(pod),
            },
            Status = new V1PodStatus { Phase = pod.Node is null ? "Pending" : "Running" },
        };
    }

    public static V1Container Container(InventoryPod pod)
    {
        var limits = new Dictionary<string, ResourceQuantity>();
        if (pod.CpuLimitMillicores is { } cpu) limits["cpu"] = new($"{cpu}m");
        if (pod.MemoryLimitMiB is { } memory) limits["memory"] = new($"{memory}Mi");
        return new V1Container
        {
            Name = "app",
            Image = $"registry.example/{pod.Namespace}/{pod.Workload}:1",
            Resources = new V1ResourceRequirements
            {
                Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new($"{pod.CpuRequestMillicores}m"), ["memory"] = new($"{pod.MemoryRequestMiB}Mi") },
                Limits = limits.Count == 0 ? null : limits,
            },
        };
    }

    /// <summary>One pod of each DaemonSet on the node, the inventory's overhead split evenly (the first takes the remainder).</summary>
    public static IEnumerable<V1Pod> DaemonSetPods(string node, InventoryResources overhead)
    {
        var count = Math.Min(overhead.Pods, KubernetesObjects.DaemonSetNames.Length);
        for (var i = 0; i < count; i++)
        {
            var name = KubernetesObjects.DaemonSetNames[i];
            var cpu = (overhead.CpuMillicores / count) + (i == 0 ? overhead.CpuMillicores % count : 0);
            var memory = (overhead.MemoryMiB / count) + (i == 0 ? overhead.MemoryMiB % count : 0);
            yield return new V1Pod
            {
                ApiVersion = "v1",
                Kind = "Pod",
                Metadata = new V1ObjectMeta
                {
                    Name = $"{name}-{KubernetesObjects.TemplateHash(node)[..5]}",
                    NamespaceProperty = "kube-system",
                    Uid = KubernetesObjects.Uid("pod", $"kube-system/{name}/{node}"),
                    Labels = new Dictionary<string, string> { ["k8s-app"] = name },
                    OwnerReferences = [Owner("apps/v1", "DaemonSet", name, "kube-system")],
                },
                Spec = new V1PodSpec
                {
                    Containers = [new V1Container { Name = name, Image = $"registry.example/kube-system/{name}:1", Resources = new V1ResourceRequirements
                    {
                        Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new($"{cpu}m"), ["memory"] = new($"{memory}Mi") },
                    } }],
                    NodeName = node,
                    PriorityClassName = "system-node-critical",
                    Priority = 2_000_001_000,
                },
                Status = new V1PodStatus { Phase = "Running" },
            };
        }
    }

    private static V1Affinity? NodeAffinity(InventoryPod pod)
    {
        var expressions = new List<V1NodeSelectorRequirement>();
        if (pod.ZoneAffinity is { } zone) expressions.Add(new V1NodeSelectorRequirement { Key = "topology.kubernetes.io/zone", OperatorProperty = "In", Values = [zone] });
        if (pod.CapacityTypeAffinity is { } capacity)
        {
            expressions.Add(new V1NodeSelectorRequirement { Key = "eks.amazonaws.com/capacityType", OperatorProperty = "In", Values = [capacity == "spot" ? "SPOT" : "ON_DEMAND"] });
        }

        return expressions.Count == 0 ? null : new V1Affinity
        {
            NodeAffinity = new V1NodeAffinity { RequiredDuringSchedulingIgnoredDuringExecution = new V1NodeSelector { NodeSelectorTerms = [new V1NodeSelectorTerm { MatchExpressions = expressions }] } },
        };
    }

    public static V1OwnerReference Owner(string apiVersion, string kind, string name, string ns) => new()
    {
        ApiVersion = apiVersion, Kind = kind, Name = name, Uid = KubernetesObjects.Uid(kind, $"{ns}/{name}"), BlockOwnerDeletion = true, Controller = true,
    };
}
