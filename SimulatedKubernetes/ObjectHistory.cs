using k8s;
using k8s.Models;

namespace SpotOptimizer.SimulatedKubernetes;

/// <summary>
/// The watch cache of one simulated API server's objects of one resource (nodes, events): each listing is diffed against
/// the previous one by namespace and name, every change gets the next resourceVersion (stamped on the object, as etcd's
/// revision is) and is kept in a bounded history that watches resume from. Thread-safe: every watcher of the cluster
/// and every list feed it.
/// </summary>
internal sealed class ObjectHistory<T> where T : class, IKubernetesObject<V1ObjectMeta>
{
    /// <summary>About as many changes as a busy cluster's API server keeps for a resource in its watch cache window.</summary>
    public const int Retained = 1000;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, (T Item, string Content)> _current = new(StringComparer.Ordinal);
    private readonly Queue<Change> _changes = new();
    private long _version;

    /// <summary>Versions start at the wall clock's milliseconds, so a version from before a restart is older than any kept and gets 410.</summary>
    public ObjectHistory() => _version = Oldest = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    /// <summary>The version a watch may resume from at the earliest (changes after it are all kept).</summary>
    public long Oldest { get; private set; }

    public sealed record Change(long Version, string Type, T Item);

    /// <returns>The version after this listing and the objects with their resourceVersions, sorted by namespace and name.</returns>
    public (long Version, List<T> Items) Observe(IEnumerable<T> listed)
    {
        lock (_gate)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var item in listed.OrderBy(Key, StringComparer.Ordinal))
            {
                var key = Key(item);
                seen.Add(key);
                item.Metadata.ResourceVersion = null;
                var content = KubernetesJson.Serialize(item);
                if (_current.TryGetValue(key, out var known) && known.Content == content) continue;
                item.Metadata.ResourceVersion = KubernetesWatch.Format(++_version);
                _current[key] = (item, content);
                Record(new Change(_version, known.Item is null ? "ADDED" : "MODIFIED", item));
            }

            foreach (var gone in _current.Keys.Where(key => !seen.Contains(key)).ToList())
            {
                var last = KubernetesJson.Deserialize<T>(KubernetesJson.Serialize(_current[gone].Item));
                last.Metadata.ResourceVersion = KubernetesWatch.Format(++_version);
                _current.Remove(gone);
                Record(new Change(_version, "DELETED", last));
            }

            return (_version, [.. _current.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => c.Value.Item)]);
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

    private static string Key(T item) => $"{item.Metadata.NamespaceProperty}/{item.Metadata.Name}";

    private void Record(Change change)
    {
        _changes.Enqueue(change);
        while (_changes.Count > Retained) Oldest = _changes.Dequeue().Version;
    }
}
