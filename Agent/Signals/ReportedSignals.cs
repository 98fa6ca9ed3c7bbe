using k8s;
using k8s.Models;

namespace SpotOptimizer.Agent.Signals;

/// <summary>
/// Which node + kind the agent has already reported, so each is reported once however often the node changes or the
/// watch is resumed. A deleted node's last state is read like any other (a taint first seen in a DELETED event is still
/// reported), then forgotten: instance ids do not come back. Not thread-safe: the node watcher is its only user.
/// </summary>
public sealed class ReportedSignals
{
    private readonly Dictionary<string, HashSet<string>> _byInstance = new(StringComparer.Ordinal);

    /// <returns>The node's signals not reported before.</returns>
    public List<InterruptionSignal> Observe(WatchEventType type, V1Node node, DateTimeOffset now)
    {
        var fresh = NodeSignals.Of(node, now).Where(Claim).ToList();
        if (type == WatchEventType.Deleted && Inventory.NodeMapper.InstanceId(node.Spec?.ProviderID) is { } id) _byInstance.Remove(id);
        return fresh;
    }

    /// <summary>After a fresh list: nodes missing from it were deleted while the agent was not watching.</summary>
    public List<InterruptionSignal> Relist(IEnumerable<V1Node> nodes, DateTimeOffset now)
    {
        var listed = nodes.ToList();
        var live = listed.Select(n => Inventory.NodeMapper.InstanceId(n.Spec?.ProviderID)).OfType<string>().ToHashSet(StringComparer.Ordinal);
        foreach (var gone in _byInstance.Keys.Where(id => !live.Contains(id)).ToList()) _byInstance.Remove(gone);
        return [.. listed.SelectMany(n => Observe(WatchEventType.Added, n, now))];
    }

    private bool Claim(InterruptionSignal signal)
    {
        if (!_byInstance.TryGetValue(signal.InstanceId, out var kinds)) _byInstance[signal.InstanceId] = kinds = new HashSet<string>(StringComparer.Ordinal);
        return kinds.Add(signal.Kind);
    }
}
