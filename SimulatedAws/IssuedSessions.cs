using System.Collections.Concurrent;
using SpotOptimizer.Cloud;

namespace SpotOptimizer.SimulatedAws;

/// <summary>
/// The sessions this server's STS handed out, by access key id, with their secret keys: the simulated world keeps only
/// a hash of each secret (as AWS never shows one again), but verifying a SigV4 signature needs the key itself. A
/// session issued by another process (or before a restart) is therefore unknown here and answered
/// <c>InvalidClientTokenId</c>; the client assumes the role again, as after any credential loss.
/// </summary>
public sealed class IssuedSessions
{
    private readonly ConcurrentDictionary<string, CloudSession> _sessions = new(StringComparer.Ordinal);

    public void Add(CloudSession session, DateTimeOffset now)
    {
        // Forget expired ones as new ones come: a long-running demo assumes roles every hour.
        foreach (var (key, old) in _sessions)
            if (old.Expiration <= now) _sessions.TryRemove(key, out _);
        _sessions[session.Credentials.AccessKeyId] = session;
    }

    public CloudSession? Find(string accessKeyId) => _sessions.GetValueOrDefault(accessKeyId);
}
