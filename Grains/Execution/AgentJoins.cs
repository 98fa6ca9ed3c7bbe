using Microsoft.Extensions.Options;
using Orleans;
using SpotOptimizer.Grains.Interfaces.Clusters;

namespace SpotOptimizer.Grains.Execution;

/// <summary>
/// Whether a new node has joined its cluster: listed, and not NotReady, in the inventory the cluster's agent reports.
/// A running instance is not yet a node: its kubelet may still fail to register (a wrong template, a missing IAM role),
/// and draining the old node onto it would strand pods. A cluster with no agent reporting within
/// <see cref="AgentChannelOptions.PollingWindow"/> (a simulated cluster nobody runs an agent for) has no inventory to
/// ask, so there a running instance is as far as the platform can see.
/// </summary>
public sealed class AgentJoins(IGrainFactory grains, IOptions<AgentChannelOptions> options, TimeProvider time)
{
    /// <summary>The agent's word for an unhealthy Ready condition (the agent reports only unhealthy conditions).</summary>
    public const string NotReady = "NotReady";

    /// <returns>Null when no agent reports for the cluster; else the node the agent lists for the instance, if any.</returns>
    public async Task<NodeJoin?> ReadAsync(ExecutionScope scope, string instanceId)
    {
        var view = await grains.GetGrain<IClusterGrain>(scope.ClusterId).GetInventory(scope.OrganizationId);
        if (view?.Inventory is not { } inventory || view.ReportedAt is not { } reported || time.GetUtcNow() - reported > options.Value.PollingWindow)
            return null;
        var node = inventory.Nodes.FirstOrDefault(n => n.InstanceId == instanceId);
        return new NodeJoin(node?.Name, node is not null && !node.Conditions.Contains(NotReady));
    }
}

/// <param name="NodeName">The Kubernetes node's name; null while the agent lists no node for the instance.</param>
/// <param name="Ready">Listed and Ready: pods can be drained onto it.</param>
public sealed record NodeJoin(string? NodeName, bool Ready);
