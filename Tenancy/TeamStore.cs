using System.Data.Common;
using System.Text.Json;
using Dapper;

namespace SpotOptimizer.Tenancy;

/// <summary>A pending invitation to join an organization; its token went out by e-mail and is kept hashed.</summary>
public sealed record Invitation(string Id, string OrganizationId, string Email, string OrgRole, string InvitedBy, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt);

public enum TeamChange
{
    Done,
    NotFound,

    /// <summary>Refused: the organization would be left without an owner.</summary>
    LastOwner,
}

/// <summary>
/// An organization's people: their roles, removal, and invitations. Every change is one write transaction with its
/// ledger entry; a changed or removed user's sessions end in it too, so the new role applies from their next sign-in.
/// </summary>
public sealed class TeamStore(TenancyDatabase db, SessionStore sessions, AuditLedger ledger)
{
    public async Task<IReadOnlyList<User>> ListMembersAsync(string organizationId, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<IdentityStore.UserRow>(new CommandDefinition(
            $"SELECT {IdentityStore.UserColumns} FROM users WHERE organization_id = @OrganizationId ORDER BY created_at_ms, id",
            new { OrganizationId = organizationId }, cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToUser())];
    }

    public Task<TeamChange> ChangeRoleAsync(string organizationId, string userId, string role, string actor, CancellationToken cancellationToken) =>
        ChangeMemberAsync(organizationId, userId, role, actor, cancellationToken);

    public Task<TeamChange> RemoveAsync(string organizationId, string userId, string actor, CancellationToken cancellationToken) =>
        ChangeMemberAsync(organizationId, userId, null, actor, cancellationToken);

    /// <exception cref="DuplicateException">The e-mail already has an account; nothing was created.</exception>
    public async Task<(Invitation Invitation, string Token)> InviteAsync(
        string organizationId, string email, string role, TimeSpan lifetime, string actor, CancellationToken cancellationToken)
    {
        var nowMs = db.NowMs();
        var token = OpaqueToken.New(OpaqueToken.InvitationPrefix);
        var invitation = new Invitation(IdentityStore.NewId(), organizationId, IdentityStore.NormalizeEmail(email), role, actor,
            TenancyDatabase.FromMs(nowMs), TenancyDatabase.FromMs(nowMs + (long)lifetime.TotalMilliseconds));
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var transaction = await db.Database.BeginWriteTransactionAsync(connection, cancellationToken);
        if (await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT COUNT(*) FROM users WHERE email = @Email", new { invitation.Email }, transaction, cancellationToken: cancellationToken)) > 0)
        {
            throw new DuplicateException("An account with this email");
        }

        // A second invitation to the same address replaces the first: one link per person is in circulation.
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM invitations WHERE organization_id = @OrganizationId AND email = @Email", new { OrganizationId = organizationId, invitation.Email }, transaction,
            cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO invitations (id, organization_id, email, org_role, token_hash, invited_by, created_at_ms, expires_at_ms)
            VALUES (@Id, @OrganizationId, @Email, @OrgRole, @Hash, @InvitedBy, @NowMs, @ExpiresAtMs)
            """,
            new
            {
                invitation.Id, invitation.OrganizationId, invitation.Email, invitation.OrgRole, Hash = OpaqueToken.Hash(token), invitation.InvitedBy,
                NowMs = nowMs, ExpiresAtMs = invitation.ExpiresAt.ToUnixTimeMilliseconds(),
            },
            transaction, cancellationToken: cancellationToken));
        var entry = await ledger.AppendAsync(connection, transaction, new LedgerDraft(
            organizationId, actor, null, "team.member_invited", $"invitation:{invitation.Id}", null, Describe(invitation.Email, role)), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        await ledger.PublishAsync(entry);
        return (invitation, token);
    }

    public async Task<IReadOnlyList<Invitation>> ListInvitationsAsync(string organizationId, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<InvitationRow>(new CommandDefinition(
            $"SELECT {InvitationColumns} FROM invitations WHERE organization_id = @OrganizationId AND expires_at_ms > @NowMs ORDER BY created_at_ms, id",
            new { OrganizationId = organizationId, NowMs = db.NowMs() }, cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToInvitation())];
    }

    /// <summary>The pending invitation a token belongs to, if it is still valid.</summary>
    public async Task<Invitation?> FindByTokenAsync(string token, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<InvitationRow>(new CommandDefinition(
            $"SELECT {InvitationColumns} FROM invitations WHERE token_hash = @Hash AND expires_at_ms > @NowMs",
            new { Hash = OpaqueToken.Hash(token), NowMs = db.NowMs() }, cancellationToken: cancellationToken));
        return row?.ToInvitation();
    }

    public async Task<bool> CancelInvitationAsync(string organizationId, string invitationId, string actor, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var transaction = await db.Database.BeginWriteTransactionAsync(connection, cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<InvitationRow>(new CommandDefinition(
            $"SELECT {InvitationColumns} FROM invitations WHERE id = @Id AND organization_id = @OrganizationId",
            new { Id = invitationId, OrganizationId = organizationId }, transaction, cancellationToken: cancellationToken));
        if (row is null) return false;
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM invitations WHERE id = @Id", new { Id = invitationId }, transaction, cancellationToken: cancellationToken));
        var entry = await ledger.AppendAsync(connection, transaction, new LedgerDraft(
            organizationId, actor, null, "team.invitation_cancelled", $"invitation:{invitationId}", Describe(row.Email, row.OrgRole), null), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        await ledger.PublishAsync(entry);
        return true;
    }

    /// <summary>Creates the invited user with the invitation's role and spends the invitation; null when the token is unknown or expired.</summary>
    /// <exception cref="DuplicateException">The e-mail got an account meanwhile; nothing was created.</exception>
    public async Task<User?> AcceptAsync(string token, string passwordHash, CancellationToken cancellationToken)
    {
        var nowMs = db.NowMs();
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var transaction = await db.Database.BeginWriteTransactionAsync(connection, cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<InvitationRow>(new CommandDefinition(
            $"SELECT {InvitationColumns} FROM invitations WHERE token_hash = @Hash AND expires_at_ms > @NowMs",
            new { Hash = OpaqueToken.Hash(token), NowMs = nowMs }, transaction, cancellationToken: cancellationToken));
        // Deleting is the spending: of two requests racing with one link, only the one that deleted the row goes on.
        if (row is null || await connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM invitations WHERE id = @Id", new { row.Id }, transaction, cancellationToken: cancellationToken)) == 0)
        {
            return null;
        }

        var user = new User(IdentityStore.NewId(), row.OrganizationId, row.Email, passwordHash, Roles.Client, TenancyDatabase.FromMs(nowMs), row.OrgRole);
        LedgerEntry entry;
        try
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO users (id, organization_id, email, password_hash, role, created_at_ms, org_role)
                VALUES (@Id, @OrganizationId, @Email, @PasswordHash, @Role, @NowMs, @OrgRole)
                """,
                new { user.Id, user.OrganizationId, user.Email, user.PasswordHash, user.Role, NowMs = nowMs, user.OrgRole }, transaction,
                cancellationToken: cancellationToken));
            entry = await ledger.AppendAsync(connection, transaction, new LedgerDraft(
                row.OrganizationId, $"user:{user.Id}", null, "team.invitation_accepted", $"user:{user.Id}", null, Describe(user.Email, user.OrgRole)),
                cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch (DbException exception) when (TenancyDatabase.IsUniqueViolation(exception))
        {
            throw new DuplicateException("An account with this email");
        }

        await ledger.PublishAsync(entry);
        return user;
    }

    /// <summary>A new role, or removal when <paramref name="role"/> is null; never the organization's last owner.</summary>
    private async Task<TeamChange> ChangeMemberAsync(string organizationId, string userId, string? role, string actor, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var transaction = await db.Database.BeginWriteTransactionAsync(connection, cancellationToken);
        // PostgreSQL: one team change per organization at a time, so two owners demoting each other cannot both pass
        // the last-owner check. SQLite: the write transaction already holds the database's single write lock.
        if (db.Database.Dialect == "postgres")
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "SELECT id FROM organizations WHERE id = @OrganizationId FOR UPDATE", new { OrganizationId = organizationId }, transaction,
                cancellationToken: cancellationToken));
        }

        var member = (await connection.QuerySingleOrDefaultAsync<IdentityStore.UserRow>(new CommandDefinition(
            $"SELECT {IdentityStore.UserColumns} FROM users WHERE id = @Id AND organization_id = @OrganizationId",
            new { Id = userId, OrganizationId = organizationId }, transaction, cancellationToken: cancellationToken)))?.ToUser();
        if (member is null) return TeamChange.NotFound;
        if (member.OrgRole == role) return TeamChange.Done;
        if (member.OrgRole == OrganizationRoles.Owner && await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT COUNT(*) FROM users WHERE organization_id = @OrganizationId AND org_role = @Owner",
                new { OrganizationId = organizationId, Owner = OrganizationRoles.Owner }, transaction, cancellationToken: cancellationToken)) <= 1)
        {
            return TeamChange.LastOwner;
        }

        await connection.ExecuteAsync(new CommandDefinition(
            role is null ? "DELETE FROM users WHERE id = @Id" : "UPDATE users SET org_role = @Role WHERE id = @Id",
            new { Id = userId, Role = role }, transaction, cancellationToken: cancellationToken));
        if (role is null)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM password_resets WHERE user_id = @Id", new { Id = userId }, transaction, cancellationToken: cancellationToken));
        }

        var ended = await sessions.RevokeUserSessionsAsync(connection, transaction, userId, null, role is null ? "member_removed" : "role_changed", cancellationToken);
        var entry = await ledger.AppendAsync(connection, transaction, new LedgerDraft(
            organizationId, actor, null, role is null ? "team.member_removed" : "team.member_role_changed", $"user:{userId}",
            Describe(member.Email, member.OrgRole), role is null ? null : Describe(member.Email, role)), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        sessions.Applied(ended);
        await ledger.PublishAsync(entry);
        return TeamChange.Done;
    }

    private static string Describe(string email, string role) =>
        $$"""{"email":{{JsonSerializer.Serialize(email)}},"role":{{JsonSerializer.Serialize(role)}}}""";

    private const string InvitationColumns =
        "id AS Id, organization_id AS OrganizationId, email AS Email, org_role AS OrgRole, invited_by AS InvitedBy, created_at_ms AS CreatedAtMs, expires_at_ms AS ExpiresAtMs";

    private sealed record InvitationRow(string Id, string OrganizationId, string Email, string OrgRole, string InvitedBy, long CreatedAtMs, long ExpiresAtMs)
    {
        public Invitation ToInvitation() => new(Id, OrganizationId, Email, OrgRole, InvitedBy, TenancyDatabase.FromMs(CreatedAtMs), TenancyDatabase.FromMs(ExpiresAtMs));
    }
}
