using k8s;
using k8s.Models;
using SpotOptimizer.Agent.Inventory;

namespace SpotOptimizer.Agent.Signals;

/// <summary>
/// What the agent knows of its nodes' signals, shared by the node watch and the Karpenter event watch: which node + kind
/// has been reported (each once, however often the node changes, a watch is resumed, or NTH's taint and Karpenter's
/// event both tell of the same notice), and which instance each node name stands for (an event names only the node).
/// A deleted node's last state is read like any other (a taint first seen in a DELETED event is still reported); what
/// is known of it is forgotten <see cref="RememberDeleted"/> later: Karpenter's event can arrive after the node is gone,
/// and the API server keeps events for an hour. Thread-safe: both watches use it.
/// </summary>
public sealed class ReportedSignals
{
    public static readonly TimeSpan RememberDeleted = TimeSpan.FromHours(1);

    private readonly Lock _gate = new();
    private readonly Dictionary<string, HashSet<string>> _kindsByInstance = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _instanceByNode = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _deletedAt = new(StringComparer.Ordinal);

    /// <returns>The node's signals not reported before.</returns>
    public List<InterruptionSignal> Observe(WatchEventType type, V1Node node, DateTimeOffset now)
    {
        lock (_gate)
        {
            Forget(now);
            return ObserveLocked(type, node, now);
        }
    }

    /// <summary>After a fresh list: nodes missing from it were deleted while the agent was not watching.</summary>
    public List<InterruptionSignal> Relist(IEnumerable<V1Node> nodes, DateTimeOffset now)
    {
        lock (_gate)
        {
            Forget(now);
            var listed = nodes.ToList();
            var live = listed.Select(n => n.Metadata?.Name).OfType<string>().ToHashSet(StringComparer.Ordinal);
            foreach (var (name, _) in _instanceByNode.Where(n => !live.Contains(n.Key)).ToList()) _deletedAt.TryAdd(name, now);
            return [.. listed.SelectMany(n => ObserveLocked(WatchEventType.Added, n, now))];
        }
    }

    /// <returns>The EC2 instance behind a node seen (and not long deleted); null for one never seen.</returns>
    public string? InstanceOf(string nodeName)
    {
        lock (_gate) return _instanceByNode.GetValueOrDefault(nodeName);
    }

    /// <returns>True when the signal had not been reported: the caller reports it.</returns>
    public bool Claim(InterruptionSignal signal)
    {
        lock (_gate) return ClaimLocked(signal);
    }

    private List<InterruptionSignal> ObserveLocked(WatchEventType type, V1Node node, DateTimeOffset now)
    {
        if (node.Metadata?.Name is not { } name || NodeMapper.InstanceId(node.Spec?.ProviderID) is not { } instanceId) return [];
        _instanceByNode[name] = instanceId;
        if (type == WatchEventType.Deleted) _deletedAt.TryAdd(name, now);
        else _deletedAt.Remove(name);
        return [.. NodeSignals.Of(node, now).Where(ClaimLocked)];
    }

    private bool ClaimLocked(InterruptionSignal signal)
    {
        if (!_kindsByInstance.TryGetValue(signal.InstanceId, out var kinds)) _kindsByInstance[signal.InstanceId] = kinds = new HashSet<string>(StringComparer.Ordinal);
        return kinds.Add(signal.Kind);
    }

    private void Forget(DateTimeOffset now)
    {
        foreach (var name in _deletedAt.Where(d => now - d.Value > RememberDeleted).Select(d => d.Key).ToList())
        {
            _deletedAt.Remove(name);
            if (_instanceByNode.Remove(name, out var instanceId)) _kindsByInstance.Remove(instanceId);
        }
    }
}
