using System.Data.Common;
using Dapper;

namespace SpotOptimizer.Tenancy;

/// <summary>A session's current refresh token, shown to its holder once.</summary>
public sealed record SessionGrant(string SessionId, string RefreshToken, DateTimeOffset RefreshExpiresAt);

public enum RefreshVerdict
{
    Rotated,
    Unknown,
    Expired,
    Revoked,

    /// <summary>A spent token came back: someone holds a copy. Its whole session was revoked.</summary>
    Reused,
}

public sealed record Rotation(RefreshVerdict Verdict, string? UserId = null, SessionGrant? Grant = null);

/// <summary>
/// Sign-in sessions and their rotating refresh tokens (stored as SHA-256 only). Each refresh spends the presented
/// token and hands out the next; a spent token presented again revokes the session it belongs to, with every
/// refresh and access token in it.
/// </summary>
public sealed class SessionStore(TenancyDatabase db, RevokedSessions revoked, AuditLedger ledger)
{
    public async Task<SessionGrant> StartAsync(User user, TimeSpan accessLifetime, TimeSpan refreshLifetime, CancellationToken cancellationToken)
    {
        var nowMs = db.NowMs();
        var sessionId = IdentityStore.NewId();
        var refresh = OpaqueToken.New(OpaqueToken.RefreshPrefix);
        var expiresAtMs = nowMs + (long)refreshLifetime.TotalMilliseconds;
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var transaction = await db.Database.BeginWriteTransactionAsync(connection, cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO sessions (id, user_id, organization_id, created_at_ms, access_expires_at_ms, expires_at_ms)
            VALUES (@SessionId, @UserId, @OrganizationId, @NowMs, @AccessExpiresAtMs, @ExpiresAtMs)
            """,
            new
            {
                SessionId = sessionId, UserId = user.Id, user.OrganizationId, NowMs = nowMs,
                AccessExpiresAtMs = nowMs + (long)accessLifetime.TotalMilliseconds, ExpiresAtMs = expiresAtMs,
            },
            transaction, cancellationToken: cancellationToken));
        await InsertTokenAsync(connection, transaction, sessionId, refresh, expiresAtMs, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new SessionGrant(sessionId, refresh, TenancyDatabase.FromMs(expiresAtMs));
    }

    public async Task<Rotation> RotateAsync(string refreshToken, TimeSpan accessLifetime, TimeSpan refreshLifetime, CancellationToken cancellationToken)
    {
        var nowMs = db.NowMs();
        var hash = OpaqueToken.Hash(refreshToken);
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var transaction = await db.Database.BeginWriteTransactionAsync(connection, cancellationToken);
        var presented = await connection.QuerySingleOrDefaultAsync<Presented>(new CommandDefinition(
            """
            SELECT r.session_id AS SessionId, r.expires_at_ms AS ExpiresAtMs, r.spent_at_ms AS SpentAtMs,
                   s.user_id AS UserId, s.organization_id AS OrganizationId, s.revoked_at_ms AS RevokedAtMs
            FROM refresh_tokens r JOIN sessions s ON s.id = r.session_id WHERE r.token_hash = @Hash
            """,
            new { Hash = hash }, transaction, cancellationToken: cancellationToken));
        if (presented is null) return new Rotation(RefreshVerdict.Unknown);
        if (presented.RevokedAtMs is not null) return new Rotation(RefreshVerdict.Revoked, presented.UserId);
        if (presented.ExpiresAtMs <= nowMs) return new Rotation(RefreshVerdict.Expired, presented.UserId);
        // Spending is conditional, so of two requests racing with one token exactly one rotates; the other is reuse.
        var spent = presented.SpentAtMs is null && await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE refresh_tokens SET spent_at_ms = @NowMs WHERE token_hash = @Hash AND spent_at_ms IS NULL",
            new { NowMs = nowMs, Hash = hash }, transaction, cancellationToken: cancellationToken)) == 1;
        if (!spent)
        {
            await RevokeAsync(connection, transaction, [presented.SessionId], "refresh_token_reused", nowMs, cancellationToken);
            var entry = await ledger.AppendAsync(connection, transaction, new LedgerDraft(
                presented.OrganizationId, "system:auth", null, "auth.refresh_token_reused", $"user:{presented.UserId}", null,
                $$"""{"session_id":"{{presented.SessionId}}"}"""), cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            revoked.Add([presented.SessionId]);
            await ledger.PublishAsync(entry);
            return new Rotation(RefreshVerdict.Reused, presented.UserId);
        }

        var next = OpaqueToken.New(OpaqueToken.RefreshPrefix);
        var expiresAtMs = nowMs + (long)refreshLifetime.TotalMilliseconds;
        await InsertTokenAsync(connection, transaction, presented.SessionId, next, expiresAtMs, cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE sessions SET expires_at_ms = @ExpiresAtMs, access_expires_at_ms = @AccessExpiresAtMs WHERE id = @SessionId",
            new { ExpiresAtMs = expiresAtMs, AccessExpiresAtMs = nowMs + (long)accessLifetime.TotalMilliseconds, presented.SessionId },
            transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return new Rotation(RefreshVerdict.Rotated, presented.UserId, new SessionGrant(presented.SessionId, next, TenancyDatabase.FromMs(expiresAtMs)));
    }

    /// <summary>Ends one session (logout): its refresh token stops, and so do its access tokens.</summary>
    public async Task EndAsync(string sessionId, string reason, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var transaction = await db.Database.BeginWriteTransactionAsync(connection, cancellationToken);
        await RevokeAsync(connection, transaction, [sessionId], reason, db.NowMs(), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        revoked.Add([sessionId]);
    }

    /// <summary>
    /// Revokes a user's live sessions but <paramref name="keep"/> inside the caller's write transaction; call
    /// <see cref="Applied"/> with the result once it committed.
    /// </summary>
    public async Task<IReadOnlyList<string>> RevokeUserSessionsAsync(
        DbConnection connection, DbTransaction transaction, string userId, string? keep, string reason, CancellationToken cancellationToken)
    {
        var ids = (await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT id FROM sessions WHERE user_id = @UserId AND revoked_at_ms IS NULL AND id <> @Keep",
            new { UserId = userId, Keep = keep ?? "" }, transaction, cancellationToken: cancellationToken))).ToList();
        await RevokeAsync(connection, transaction, ids, reason, db.NowMs(), cancellationToken);
        return ids;
    }

    /// <summary>Makes committed revocations effective on this instance at once (others pick them up on their next load).</summary>
    public void Applied(IReadOnlyList<string> sessionIds) => revoked.Add(sessionIds);

    private static async Task RevokeAsync(
        DbConnection connection, DbTransaction transaction, IReadOnlyList<string> sessionIds, string reason, long nowMs, CancellationToken cancellationToken)
    {
        foreach (var id in sessionIds)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE sessions SET revoked_at_ms = @NowMs, revoked_reason = @Reason WHERE id = @Id AND revoked_at_ms IS NULL",
                new { NowMs = nowMs, Reason = reason, Id = id }, transaction, cancellationToken: cancellationToken));
        }
    }

    private static Task<int> InsertTokenAsync(
        DbConnection connection, DbTransaction transaction, string sessionId, string token, long expiresAtMs, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO refresh_tokens (token_hash, session_id, expires_at_ms) VALUES (@Hash, @SessionId, @ExpiresAtMs)",
            new { Hash = OpaqueToken.Hash(token), SessionId = sessionId, ExpiresAtMs = expiresAtMs }, transaction, cancellationToken: cancellationToken));

    private sealed record Presented(string SessionId, long ExpiresAtMs, long? SpentAtMs, string UserId, string OrganizationId, long? RevokedAtMs);
}
