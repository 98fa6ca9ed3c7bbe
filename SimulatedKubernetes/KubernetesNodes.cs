using k8s.Models;
using SpotOptimizer.Grains.Interfaces.Clusters;

namespace SpotOptimizer.SimulatedKubernetes;

/// <summary>A simulated node as the Kubernetes API shows an EKS node: the labels EKS or Karpenter set, the provider id, allocatable.</summary>
internal static class KubernetesNodes
{
    public static V1Node From(InventoryNode node) => new()
    {
        ApiVersion = "v1",
        Kind = "Node",
        Metadata = new V1ObjectMeta
        {
            Name = node.Name,
            Uid = KubernetesObjects.Uid("node", node.InstanceId),
            CreationTimestamp = node.CreatedAt.UtcDateTime,
            Labels = Labels(node),
            Annotations = node.DoNotDisrupt ? new Dictionary<string, string> { [KubernetesObjects.DoNotDisrupt] = "true" } : null,
        },
        Spec = new V1NodeSpec
        {
            ProviderID = $"aws:///{node.AvailabilityZone}/{node.InstanceId}",
            Taints = node.Taints.Count == 0 ? null : [.. node.Taints.Select(Taint)],
        },
        Status = new V1NodeStatus
        {
            Allocatable = new Dictionary<string, ResourceQuantity>
            {
                ["cpu"] = new($"{node.Allocatable.CpuMillicores}m"),
                ["memory"] = new($"{node.Allocatable.MemoryMiB}Mi"),
                ["pods"] = new($"{node.Allocatable.Pods}"),
            },
            Conditions = [new V1NodeCondition { Type = "Ready", Status = node.Conditions.Contains("NotReady") ? "False" : "True" },
                .. node.Conditions.Where(c => c != "NotReady").Select(c => new V1NodeCondition { Type = c, Status = "True" })],
        },
    };

    private static Dictionary<string, string> Labels(InventoryNode node)
    {
        var labels = new Dictionary<string, string>
        {
            ["kubernetes.io/hostname"] = node.Name,
            ["kubernetes.io/os"] = "linux",
            ["node.kubernetes.io/instance-type"] = node.InstanceType,
            ["topology.kubernetes.io/region"] = node.AvailabilityZone[..^1],
            ["topology.kubernetes.io/zone"] = node.AvailabilityZone,
        };
        var spot = node.CapacityType == "spot";
        if (node.NodePool is { } pool)
        {
            labels["karpenter.sh/nodepool"] = pool;
            labels["karpenter.sh/capacity-type"] = spot ? "spot" : "on-demand";
        }
        else
        {
            labels["eks.amazonaws.com/capacityType"] = spot ? "SPOT" : "ON_DEMAND";
            if (node.Nodegroup is { } nodegroup) labels["eks.amazonaws.com/nodegroup"] = nodegroup;
        }

        return labels;
    }

    /// <summary><c>key=value:Effect</c> or <c>key:Effect</c>, as the inventory spells taints.</summary>
    private static V1Taint Taint(string taint)
    {
        var colon = taint.LastIndexOf(':');
        var keyValue = colon < 0 ? taint : taint[..colon];
        var equals = keyValue.IndexOf('=', StringComparison.Ordinal);
        return new V1Taint
        {
            Key = equals < 0 ? keyValue : keyValue[..equals],
            Value = equals < 0 ? null : keyValue[(equals + 1)..],
            Effect = colon < 0 ? "NoSchedule" : taint[(colon + 1)..],
        };
    }
}
