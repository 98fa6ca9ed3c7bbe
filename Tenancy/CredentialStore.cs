using Dapper;

namespace SpotOptimizer.Tenancy;

/// <summary>
/// Password changes and single-use reset links. A new password ends the user's other sessions in the same
/// transaction that stores it, so a stolen session does not outlive the password it was opened with.
/// </summary>
public sealed class CredentialStore(TenancyDatabase db, SessionStore sessions, AuditLedger ledger)
{
    /// <returns>How many of the user's other sessions were revoked.</returns>
    public async Task<int> ChangePasswordAsync(User user, string passwordHash, string? keepSession, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var transaction = await db.Database.BeginWriteTransactionAsync(connection, cancellationToken);
        return await SetPasswordAsync(connection, transaction, user, passwordHash, keepSession, "password_changed", cancellationToken);
    }

    /// <summary>
    /// The shared end of a change and a reset: the new hash, every session but <paramref name="keepSession"/> ended, one
    /// ledger entry (<c>user.&lt;reason&gt;</c>), committed together; sessions and feed told after the commit.
    /// </summary>
    /// <returns>How many sessions were ended.</returns>
    private async Task<int> SetPasswordAsync(
        System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction transaction, User user, string passwordHash, string? keepSession,
        string reason, CancellationToken cancellationToken)
    {
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE users SET password_hash = @PasswordHash WHERE id = @Id", new { PasswordHash = passwordHash, user.Id }, transaction,
            cancellationToken: cancellationToken));
        var ended = await sessions.RevokeUserSessionsAsync(connection, transaction, user.Id, keepSession, reason, cancellationToken);
        var entry = await ledger.AppendAsync(connection, transaction, new LedgerDraft(
            user.OrganizationId, $"user:{user.Id}", null, $"user.{reason}", $"user:{user.Id}", null,
            $$"""{"sessions_revoked":{{ended.Count}}}"""), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        sessions.Applied(ended);
        await ledger.PublishAsync(entry);
        return ended.Count;
    }

    /// <summary>A new reset link for <paramref name="user"/>; the token is returned once, for the e-mail, and kept hashed.</summary>
    public async Task<(string Token, DateTimeOffset ExpiresAt)> RequestResetAsync(User user, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        var nowMs = db.NowMs();
        var token = OpaqueToken.New(OpaqueToken.PasswordResetPrefix);
        var expiresAtMs = nowMs + (long)lifetime.TotalMilliseconds;
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var transaction = await db.Database.BeginWriteTransactionAsync(connection, cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO password_resets (token_hash, user_id, created_at_ms, expires_at_ms) VALUES (@Hash, @UserId, @NowMs, @ExpiresAtMs)",
            new { Hash = OpaqueToken.Hash(token), UserId = user.Id, NowMs = nowMs, ExpiresAtMs = expiresAtMs }, transaction,
            cancellationToken: cancellationToken));
        var entry = await ledger.AppendAsync(connection, transaction, new LedgerDraft(
            user.OrganizationId, "system:password-reset", null, "user.password_reset_requested", $"user:{user.Id}", null,
            $$"""{"expires_at":"{{TenancyDatabase.FromMs(expiresAtMs):O}}"}"""), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        await ledger.PublishAsync(entry);
        return (token, TenancyDatabase.FromMs(expiresAtMs));
    }

    /// <summary>The user a reset link is for, while it is unused and unexpired.</summary>
    public async Task<User?> FindResetUserAsync(string token, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<IdentityStore.UserRow>(new CommandDefinition(
            $"""
            SELECT {IdentityStore.UserColumns} FROM users WHERE id =
                (SELECT user_id FROM password_resets WHERE token_hash = @Hash AND used_at_ms IS NULL AND expires_at_ms > @NowMs)
            """,
            new { Hash = OpaqueToken.Hash(token), NowMs = db.NowMs() }, cancellationToken: cancellationToken));
        return row?.ToUser();
    }

    /// <summary>
    /// Sets the password of the link's user and ends all their sessions; every outstanding link of theirs is spent.
    /// Null when the token is unknown, used or expired (nothing changes).
    /// </summary>
    public async Task<User?> ResetAsync(string token, string passwordHash, CancellationToken cancellationToken)
    {
        var nowMs = db.NowMs();
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var transaction = await db.Database.BeginWriteTransactionAsync(connection, cancellationToken);
        var userId = await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
            "SELECT user_id FROM password_resets WHERE token_hash = @Hash AND used_at_ms IS NULL AND expires_at_ms > @NowMs",
            new { Hash = OpaqueToken.Hash(token), NowMs = nowMs }, transaction, cancellationToken: cancellationToken));
        var user = userId is null ? null : (await connection.QuerySingleOrDefaultAsync<IdentityStore.UserRow>(new CommandDefinition(
            $"SELECT {IdentityStore.UserColumns} FROM users WHERE id = @Id", new { Id = userId }, transaction, cancellationToken: cancellationToken)))?.ToUser();
        if (user is null) return null;
        // Conditional, so two requests racing with one link cannot both set a password.
        var spent = await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE password_resets SET used_at_ms = @NowMs WHERE user_id = @UserId AND used_at_ms IS NULL",
            new { NowMs = nowMs, UserId = user.Id }, transaction, cancellationToken: cancellationToken));
        if (spent == 0) return null;
        await SetPasswordAsync(connection, transaction, user, passwordHash, null, "password_reset", cancellationToken);
        return user;
    }
}
