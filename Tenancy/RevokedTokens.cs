using System.Collections.Concurrent;
using Dapper;

namespace SpotOptimizer.Tenancy;

/// <summary>
/// Logged-out tokens, refused until they would have expired anyway. Checked on every authenticated request, so
/// the set is held in memory: loaded at start-up (a revocation survives a restart) and reloaded every few seconds
/// (<see cref="RefreshInterval"/>), so a logout on one instance reaches the others sharing the database.
/// </summary>
public sealed class RevokedTokens(TenancyDatabase db)
{
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(5);

    private ConcurrentDictionary<string, long> _revoked = new(StringComparer.Ordinal);

    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        var nowMs = db.NowMs();
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM revoked_tokens WHERE expires_at_ms <= @NowMs", new { NowMs = nowMs }, cancellationToken: cancellationToken));
        var rows = await connection.QueryAsync<(string TokenId, long ExpiresAtMs)>(new CommandDefinition(
            "SELECT token_id, expires_at_ms FROM revoked_tokens", cancellationToken: cancellationToken));
        var loaded = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        foreach (var (tokenId, expiresAtMs) in rows) loaded[tokenId] = expiresAtMs;
        // Revocations made here while the query ran are kept; the database has them too, so the next load agrees.
        foreach (var (tokenId, expiresAtMs) in _revoked) loaded.TryAdd(tokenId, expiresAtMs);
        Volatile.Write(ref _revoked, loaded);
    }

    public async Task RevokeAsync(string tokenId, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        var expiresAtMs = expiresAt.ToUnixTimeMilliseconds();
        await using var connection = await db.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO revoked_tokens (token_id, expires_at_ms) VALUES (@TokenId, @ExpiresAtMs)
            ON CONFLICT (token_id) DO NOTHING
            """,
            new { TokenId = tokenId, ExpiresAtMs = expiresAtMs }, cancellationToken: cancellationToken));
        Volatile.Read(ref _revoked)[tokenId] = expiresAtMs;
    }

    public bool IsRevoked(string tokenId) => Volatile.Read(ref _revoked).ContainsKey(tokenId);
}
