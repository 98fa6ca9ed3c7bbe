using SpotOptimizer.Grains.Interfaces.Clusters;
using Orleans;

namespace SpotOptimizer.Grains.Clusters;

/// <summary>
/// The agent's inventory: the one source of truth for the cluster's nodes once the agent has reported (discovery fills in
/// before that). It is persisted apart from the cluster's state and only when its content changes: a report every 30 s
/// from every cluster must not cost a database write each, yet a restart or failover must not lose it. Its version goes
/// up only on a real change, so readers that cache on it (packing, KPIs, the projection) recompute on change only.
/// </summary>
public sealed partial class ClusterGrain
{
    /// <summary>When the agent last reported, identical reports included (memory only; the stored time is the last change's).</summary>
    private DateTimeOffset? _inventoryAt;

    private AgentInventory? Inventory => inventory.State.Inventory;

    public async Task<InventoryAck?> ReportInventory(AgentInventoryReport report)
    {
        var counted = new AgentHeartbeat(report.TokenHash, report.AgentVersion, report.Inventory.Nodes.Count, report.Inventory.Pods.Count);
        if (await Heartbeat(counted) is not { } ack) return null;
        if (Inventory is null || !InventoryComparer.Same(Inventory, report.Inventory))
        {
            await SaveInventoryAsync(report.Inventory, ack.ReceivedAt);
            await SyncOccupancyAsync();
        }
        else if (_occupied is null)
        {
            await SyncOccupancyAsync();
        }

        _inventoryAt = ack.ReceivedAt;
        return new InventoryAck(ack.ClusterId, ack.PolicyVersion, ack.ReceivedAt, inventory.State.Version);
    }

    public Task<InventoryView?> GetInventory(string organizationId) =>
        Task.FromResult(Owns(organizationId)
            ? new InventoryView(this.GetPrimaryKeyString(), inventory.State.Version, _inventoryAt ?? inventory.State.ReportedAt, Inventory)
            : null);

    /// <summary>An unmanaged cluster has no agent: its last report would go stale as the truth, so discovery takes over again.</summary>
    private async Task ForgetInventoryAsync()
    {
        _inventoryAt = null;
        if (Inventory is not null) await SaveInventoryAsync(null, null);
    }

    /// <summary>The state changes in memory only once the database has it, so a failed write is retried by the next report.</summary>
    private async Task SaveInventoryAsync(AgentInventory? latest, DateTimeOffset? reportedAt)
    {
        var previous = inventory.State;
        inventory.State = new ClusterInventoryState { Inventory = latest, Version = previous.Version + 1, ReportedAt = reportedAt };
        try
        {
            await inventory.WriteStateAsync();
        }
        catch
        {
            inventory.State = previous;
            throw;
        }
    }

    /// <summary>The nodes as the weekly report and the views count them: the agent's once it has reported, discovery's before.</summary>
    private IReadOnlyList<NodeSummary> CurrentNodes() =>
        Inventory is { } latest
            ? [.. latest.Nodes.Select(n => new NodeSummary(n.InstanceId, n.InstanceType, n.AvailabilityZone, n.CapacityType, n.Nodegroup))]
            : Discovery!.Nodes;

    /// <summary>A Spot node of the cluster: the agent's report knows a node the minute it joins, discovery only after its next scan.</summary>
    private NodeSummary? FindSpotNode(string instanceId) =>
        Inventory?.Nodes.FirstOrDefault(n => n.InstanceId == instanceId && n.CapacityType == "spot") is { } reported
            ? new NodeSummary(reported.InstanceId, reported.InstanceType, reported.AvailabilityZone, reported.CapacityType, reported.Nodegroup)
            : Discovery!.Nodes.FirstOrDefault(n => n.InstanceId == instanceId && n.Lifecycle == "spot");
}
