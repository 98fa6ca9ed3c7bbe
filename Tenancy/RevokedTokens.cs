using System.Collections.Concurrent;
using Dapper;

namespace SpotOptimizer.Tenancy;

/// <summary>
/// Logged-out tokens, refused until they would have expired anyway. Checked on every authenticated request, so
/// the set is held in memory and loaded from the database at start-up (a revocation survives a restart).
/// </summary>
public sealed class RevokedTokens(TenancyDatabase db)
{
    private readonly ConcurrentDictionary<string, long> _revoked = new(StringComparer.Ordinal);

    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        var nowMs = db.NowMs();
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM revoked_tokens WHERE expires_at_ms <= @NowMs", new { NowMs = nowMs }, cancellationToken: cancellationToken));
        var rows = await connection.QueryAsync<(string TokenId, long ExpiresAtMs)>(new CommandDefinition(
            "SELECT token_id, expires_at_ms FROM revoked_tokens", cancellationToken: cancellationToken));
        foreach (var (tokenId, expiresAtMs) in rows) _revoked[tokenId] = expiresAtMs;
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
        _revoked[tokenId] = expiresAtMs;
    }

    public bool IsRevoked(string tokenId) => _revoked.ContainsKey(tokenId);
}
