using System.Collections.Concurrent;
using Dapper;

namespace SpotOptimizer.Tenancy;

/// <summary>
/// Sessions revoked (logout, a reused refresh token, a password change or reset, a removed or re-roled user) whose
/// access tokens have not all expired yet. Every authenticated request checks its <c>sid</c> here, so the set is in
/// memory: loaded at start-up and reloaded every <see cref="RevokedTokens.RefreshInterval"/>, so a revocation on one
/// instance reaches the others sharing the database within seconds. Revocations made here apply at once.
/// </summary>
public sealed class RevokedSessions(TenancyDatabase db)
{
    /// <summary>Beyond the access token's expiry: the JWT validator's clock skew, and then some.</summary>
    private static readonly TimeSpan Margin = TimeSpan.FromMinutes(1);

    private static readonly TimeSpan PruneInterval = TimeSpan.FromHours(1);

    private ConcurrentDictionary<string, byte> _revoked = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _addedSinceLoad = new(StringComparer.Ordinal);
    private long _prunedAtMs;

    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        var nowMs = db.NowMs();
        await using var connection = await db.OpenAsync(cancellationToken);
        if (nowMs - Interlocked.Read(ref _prunedAtMs) >= PruneInterval.TotalMilliseconds)
        {
            await PruneAsync(connection, nowMs, cancellationToken);
            Interlocked.Exchange(ref _prunedAtMs, nowMs);
        }

        var committedBefore = _addedSinceLoad.Keys.ToArray();
        var ids = await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT id FROM sessions WHERE revoked_at_ms IS NOT NULL AND access_expires_at_ms > @SinceMs",
            new { SinceMs = nowMs - (long)Margin.TotalMilliseconds }, cancellationToken: cancellationToken));
        var loaded = new ConcurrentDictionary<string, byte>(StringComparer.Ordinal);
        foreach (var id in ids) loaded[id] = 0;
        // A revocation made here while the query ran may be missing from its result: keep it until the next load.
        foreach (var id in _addedSinceLoad.Keys) loaded.TryAdd(id, 0);
        Volatile.Write(ref _revoked, loaded);
        foreach (var id in committedBefore) _addedSinceLoad.TryRemove(id, out _);
    }

    /// <summary>After the revoking transaction committed.</summary>
    public void Add(IEnumerable<string> sessionIds)
    {
        foreach (var id in sessionIds)
        {
            _addedSinceLoad[id] = 0;
            Volatile.Read(ref _revoked)[id] = 0;
        }
    }

    public bool IsRevoked(string sessionId) => Volatile.Read(ref _revoked).ContainsKey(sessionId);

    /// <summary>Spent or expired secrets and finished sessions: nothing can present them any more.</summary>
    private static async Task PruneAsync(System.Data.Common.DbConnection connection, long nowMs, CancellationToken cancellationToken)
    {
        var old = new { NowMs = nowMs, SinceMs = nowMs - (long)Margin.TotalMilliseconds };
        foreach (var sql in new[]
                 {
                     "DELETE FROM refresh_tokens WHERE expires_at_ms <= @NowMs",
                     "DELETE FROM sessions WHERE expires_at_ms <= @NowMs AND access_expires_at_ms <= @SinceMs",
                     "DELETE FROM password_resets WHERE expires_at_ms <= @NowMs",
                     "DELETE FROM invitations WHERE expires_at_ms <= @NowMs",
                 })
        {
            await connection.ExecuteAsync(new CommandDefinition(sql, old, cancellationToken: cancellationToken));
        }
    }
}
