using k8s;
using k8s.Models;

namespace SpotOptimizer.SimulatedKubernetes;

/// <summary>
/// The watch cache of one simulated API server's nodes: each listing is diffed against the previous one, every change
/// gets the next resourceVersion (stamped on the object, as etcd's revision is) and is kept in a bounded history that
/// watches resume from. Thread-safe: every watcher of the cluster and every list feed it.
/// </summary>
internal sealed class NodeHistory
{
    /// <summary>About as many changes as a busy cluster's API server keeps for nodes in its watch cache window.</summary>
    public const int Retained = 1000;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, (V1Node Node, string Content)> _current = new(StringComparer.Ordinal);
    private readonly Queue<Change> _changes = new();
    private long _version;

    /// <summary>Versions start at the wall clock's milliseconds, so a version from before a restart is older than any kept and gets 410.</summary>
    public NodeHistory() => _version = Oldest = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    /// <summary>The version a watch may resume from at the earliest (changes after it are all kept).</summary>
    public long Oldest { get; private set; }

    public sealed record Change(long Version, string Type, V1Node Node);

    /// <returns>The version after this listing and the nodes with their resourceVersions, sorted by name.</returns>
    public (long Version, List<V1Node> Nodes) Observe(IEnumerable<V1Node> listed)
    {
        lock (_gate)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var node in listed.OrderBy(n => n.Metadata.Name, StringComparer.Ordinal))
            {
                seen.Add(node.Metadata.Name);
                node.Metadata.ResourceVersion = null;
                var content = KubernetesJson.Serialize(node);
                if (_current.TryGetValue(node.Metadata.Name, out var known) && known.Content == content) continue;
                node.Metadata.ResourceVersion = KubernetesWatch.Format(++_version);
                _current[node.Metadata.Name] = (node, content);
                Record(new Change(_version, known.Node is null ? "ADDED" : "MODIFIED", node));
            }

            foreach (var gone in _current.Keys.Where(name => !seen.Contains(name)).ToList())
            {
                var last = KubernetesJson.Deserialize<V1Node>(KubernetesJson.Serialize(_current[gone].Node));
                last.Metadata.ResourceVersion = KubernetesWatch.Format(++_version);
                _current.Remove(gone);
                Record(new Change(_version, "DELETED", last));
            }

            return (_version, [.. _current.Values.Select(v => v.Node).OrderBy(n => n.Metadata.Name, StringComparer.Ordinal)]);
        }
    }

    /// <returns>The changes after <paramref name="version"/>, oldest first; null when they are no longer all kept (or never were).</returns>
    public List<Change>? Since(long version)
    {
        lock (_gate)
        {
            return version < Oldest || version > _version ? null : [.. _changes.Where(c => c.Version > version)];
        }
    }

    private void Record(Change change)
    {
        _changes.Enqueue(change);
        while (_changes.Count > Retained) Oldest = _changes.Dequeue().Version;
    }
}
