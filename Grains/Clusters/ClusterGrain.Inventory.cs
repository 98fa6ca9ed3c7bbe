using SpotOptimizer.Grains.Interfaces.Clusters;
using Orleans;

namespace SpotOptimizer.Grains.Clusters;

/// <summary>
/// The agent's inventory: the latest report, in memory (a report every 30 s from every cluster must not cost a
/// database write each). Its version goes up only when the content changes, so readers that cache on it (packing,
/// KPIs, the projection) recompute on a real change, not on every report.
/// </summary>
public sealed partial class ClusterGrain
{
    private AgentInventory? _inventory;
    private DateTimeOffset? _inventoryAt;
    private int _inventoryVersion;

    public async Task<InventoryAck?> ReportInventory(AgentInventoryReport report)
    {
        var counted = new AgentHeartbeat(report.TokenHash, report.AgentVersion, report.Inventory.Nodes.Count, report.Inventory.Pods.Count);
        if (await Heartbeat(counted) is not { } ack) return null;
        if (_inventory is null || !InventoryComparer.Same(_inventory, report.Inventory)) _inventoryVersion++;
        _inventory = report.Inventory;
        _inventoryAt = ack.ReceivedAt;
        return new InventoryAck(ack.ClusterId, ack.PolicyVersion, ack.ReceivedAt, _inventoryVersion);
    }

    public Task<InventoryView?> GetInventory(string organizationId) =>
        Task.FromResult(Owns(organizationId) ? new InventoryView(this.GetPrimaryKeyString(), _inventoryVersion, _inventoryAt, _inventory) : null);
}

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
