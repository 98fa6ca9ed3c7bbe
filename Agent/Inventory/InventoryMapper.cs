using k8s.Models;

namespace SpotOptimizer.Agent.Inventory;

/// <summary>
/// One tick's reads of the Kubernetes API → the platform's inventory body. Pure: the same snapshot gives the same
/// report, so an unchanged cluster does not move the platform's inventory version.
/// </summary>
public static class InventoryMapper
{
    public static InventoryReport Map(ClusterSnapshot cluster, string agentVersion)
    {
        var nodes = cluster.Nodes.Select(NodeMapper.Map).OfType<ReportedNode>().OrderBy(n => n.Name, StringComparer.Ordinal).ToList();
        var names = nodes.Select(n => n.Name).ToHashSet(StringComparer.Ordinal);
        var owners = new Owners(cluster.ReplicaSets);
        // A pod on a node the platform does not manage (Fargate, not EC2) is not ours to pack: the platform would refuse it as unknown_node.
        var running = cluster.Pods
            .Where(p => PodMapper.IsReported(p) && (string.IsNullOrEmpty(p.Spec.NodeName) || names.Contains(p.Spec.NodeName)))
            .Select(p => (Pod: p, Reported: PodMapper.Map(p, owners)))
            .OrderBy(p => p.Reported.Namespace, StringComparer.Ordinal).ThenBy(p => p.Reported.Name, StringComparer.Ordinal)
            .ToList();
        return new InventoryReport(agentVersion, nodes, [.. running.Select(p => p.Reported)], Workloads(cluster, running), DaemonSetOverhead(cluster.Pods, names));
    }

    private static List<ReportedWorkload> Workloads(ClusterSnapshot cluster, List<(V1Pod Pod, ReportedPod Reported)> running)
    {
        var budgets = cluster.DisruptionBudgets;
        var workloads = new List<ReportedWorkload>();
        workloads.AddRange(cluster.Deployments.Select(d =>
            WorkloadMapper.Map(d.Metadata.NamespaceProperty, d.Metadata.Name, "Deployment", d.Spec.Replicas ?? 1, d.Spec.Template.Metadata, d.Spec.Template.Spec, budgets)));
        workloads.AddRange(cluster.StatefulSets.Select(s =>
            WorkloadMapper.Map(s.Metadata.NamespaceProperty, s.Metadata.Name, "StatefulSet", s.Spec.Replicas ?? 1, s.Spec.Template.Metadata, s.Spec.Template.Spec, budgets)));

        // Jobs, bare pods and other owners: the workload is what its running pods say it is.
        var listed = workloads.Select(w => (w.Namespace, w.Kind, w.Name)).ToHashSet();
        foreach (var group in running.GroupBy(p => (p.Reported.Namespace, Kind: p.Reported.OwnerKind, Name: p.Reported.Workload)))
        {
            if (!listed.Add(group.Key)) continue;
            var first = group.First().Pod;
            workloads.Add(WorkloadMapper.Map(group.Key.Namespace, group.Key.Name, group.Key.Kind, group.Count(), first.Metadata, first.Spec, budgets));
        }

        return [.. workloads.OrderBy(w => w.Namespace, StringComparer.Ordinal).ThenBy(w => w.Kind, StringComparer.Ordinal).ThenBy(w => w.Name, StringComparer.Ordinal)];
    }

    /// <summary>The most the DaemonSets take on any one node (each dimension on its own): the platform reserves it on every node.</summary>
    public static ReportedResources DaemonSetOverhead(IEnumerable<V1Pod> pods, IReadOnlySet<string> nodes)
    {
        var perNode = pods
            .Where(p => Owners.IsDaemonSetPod(p) && p.Status?.Phase is not ("Succeeded" or "Failed") && p.Spec.NodeName is { } node && nodes.Contains(node))
            .GroupBy(p => p.Spec.NodeName)
            .Select(g => (Requests: g.Select(p => PodResources.Requests(p.Spec)).ToList(), Count: g.Count()))
            .ToList();
        return perNode.Count == 0
            ? new ReportedResources(0, 0, 0)
            : new ReportedResources(
                perNode.Max(n => n.Requests.Sum(r => r.CpuMillicores)),
                perNode.Max(n => n.Requests.Sum(r => r.MemoryMiB)),
                perNode.Max(n => n.Count));
    }
}
