using System.Data.Common;
using Dapper;

namespace SpotOptimizer.Tenancy;

/// <summary>Organizations and their users. Sign-up is one transaction: organization, owner and placeholder account, or nothing.</summary>
public sealed class IdentityStore(TenancyDatabase db, AuditLedger activity)
{
    internal const string UserColumns =
        "id AS Id, organization_id AS OrganizationId, email AS Email, password_hash AS PasswordHash, role AS Role, created_at_ms AS CreatedAtMs, org_role AS OrgRole";

    private const string OrganizationColumns = "id AS Id, name AS Name, created_at_ms AS CreatedAtMs";

    public static string NormalizeEmail(string email) => email.Trim().ToLowerInvariant();

    /// <exception cref="DuplicateException">The email is taken; nothing was created.</exception>
    public async Task<SignupResult> SignupAsync(string organizationName, string email, string passwordHash, string role, CancellationToken cancellationToken)
    {
        var nowMs = db.NowMs();
        var now = TenancyDatabase.FromMs(nowMs);
        var organization = new Organization(NewId(), organizationName.Trim(), now);
        var user = new User(NewId(), organization.Id, NormalizeEmail(email), passwordHash, role, now, OrganizationRoles.Owner);
        var account = new AccountRecord(NewId(), organization.Id, null, now);

        await using var connection = await db.OpenAsync(cancellationToken);
        await using var transaction = await db.Database.BeginWriteTransactionAsync(connection, cancellationToken);
        LedgerEntry signedUp;
        try
        {
            await Execute(connection, transaction, "INSERT INTO organizations (id, name, created_at_ms) VALUES (@Id, @Name, @NowMs)",
                new { organization.Id, organization.Name, NowMs = nowMs }, cancellationToken);
            await Execute(connection, transaction,
                "INSERT INTO users (id, organization_id, email, password_hash, role, created_at_ms, org_role) VALUES (@Id, @OrganizationId, @Email, @PasswordHash, @Role, @NowMs, @OrgRole)",
                new { user.Id, user.OrganizationId, user.Email, user.PasswordHash, user.Role, NowMs = nowMs, user.OrgRole }, cancellationToken);
            await Execute(connection, transaction,
                "INSERT INTO aws_accounts (id, organization_id, aws_account_id, created_at_ms) VALUES (@Id, @OrganizationId, NULL, @NowMs)",
                new { account.Id, account.OrganizationId, NowMs = nowMs }, cancellationToken);
            signedUp = await activity.AppendAsync(connection, transaction, new LedgerDraft(
                organization.Id, $"user:{user.Id}", null, "organization.signed_up", $"organization:{organization.Id}", null,
                $$"""{"name":{{System.Text.Json.JsonSerializer.Serialize(organization.Name)}},"owner":{{System.Text.Json.JsonSerializer.Serialize(user.Email)}}}"""),
                cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch (DbException exception) when (TenancyDatabase.IsUniqueViolation(exception))
        {
            throw new DuplicateException("An account with this email");
        }

        await activity.PublishAsync(signedUp);
        return new SignupResult(organization, user, account);
    }

    public async Task<User?> FindByEmailAsync(string email, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<UserRow>(new CommandDefinition(
            $"SELECT {UserColumns} FROM users WHERE email = @Email", new { Email = NormalizeEmail(email) }, cancellationToken: cancellationToken));
        return row?.ToUser();
    }

    public async Task<User?> GetAsync(string userId, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<UserRow>(new CommandDefinition(
            $"SELECT {UserColumns} FROM users WHERE id = @Id", new { Id = userId }, cancellationToken: cancellationToken));
        return row?.ToUser();
    }

    public async Task<Organization?> GetOrganizationAsync(string organizationId, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<OrganizationRow>(new CommandDefinition(
            $"SELECT {OrganizationColumns} FROM organizations WHERE id = @Id", new { Id = organizationId }, cancellationToken: cancellationToken));
        return row?.ToOrganization();
    }

    /// <summary>The organization's longest-standing owner: whom an impersonating admin acts as.</summary>
    public async Task<User?> FindOwnerAsync(string organizationId, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        var row = await connection.QueryFirstOrDefaultAsync<UserRow>(new CommandDefinition(
            $"SELECT {UserColumns} FROM users WHERE organization_id = @OrganizationId AND org_role = @Owner ORDER BY created_at_ms, id",
            new { OrganizationId = organizationId, Owner = OrganizationRoles.Owner }, cancellationToken: cancellationToken));
        return row?.ToUser();
    }

    public async Task<IReadOnlyList<Organization>> ListOrganizationsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<OrganizationRow>(new CommandDefinition(
            $"SELECT {OrganizationColumns} FROM organizations ORDER BY created_at_ms, id", cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToOrganization())];
    }

    internal static string NewId() => Guid.NewGuid().ToString("D");

    private static Task<int> Execute(DbConnection connection, DbTransaction transaction, string sql, object parameters, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(sql, parameters, transaction, cancellationToken: cancellationToken));

    private sealed record OrganizationRow(string Id, string Name, long CreatedAtMs)
    {
        public Organization ToOrganization() => new(Id, Name, TenancyDatabase.FromMs(CreatedAtMs));
    }

    internal sealed record UserRow(string Id, string OrganizationId, string Email, string PasswordHash, string Role, long CreatedAtMs, string OrgRole)
    {
        public User ToUser() => new(Id, OrganizationId, Email, PasswordHash, Role, TenancyDatabase.FromMs(CreatedAtMs), OrgRole);
    }
}
