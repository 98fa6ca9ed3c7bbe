using SpotOptimizer.Grains.Interfaces.Clusters;

namespace SpotOptimizer.Grains.Clusters;

/// <summary>Records compare lists by reference; two reports are the same when every list holds equal items in the same order.</summary>
internal static class InventoryComparer
{
    public static bool Same(AgentInventory a, AgentInventory b) =>
        a.DaemonSetOverhead == b.DaemonSetOverhead
        && a.Nodes.Count == b.Nodes.Count && a.Pods.Count == b.Pods.Count && a.Workloads.Count == b.Workloads.Count
        && a.Nodes.Zip(b.Nodes).All(p => SameNode(p.First, p.Second))
        && a.Pods.SequenceEqual(b.Pods)
        && a.Workloads.SequenceEqual(b.Workloads);

    private static bool SameNode(InventoryNode a, InventoryNode b) =>
        a with { Taints = [], Conditions = [] } == b with { Taints = [], Conditions = [] }
        && a.Taints.SequenceEqual(b.Taints) && a.Conditions.SequenceEqual(b.Conditions);
}
