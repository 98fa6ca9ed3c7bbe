using Dapper;

namespace SpotOptimizer.Tenancy.Lifecycle;

/// <summary>A user as an export shows them: never the password hash.</summary>
public sealed record ExportedUser(string Id, string Email, string Role, DateTimeOffset CreatedAt);

/// <summary>The organization's own tenant rows, read for its export.</summary>
public sealed class OrganizationData(TenancyDatabase db)
{
    public async Task<IReadOnlyList<ExportedUser>> UsersAsync(string organizationId, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string Id, string Email, string Role, long CreatedAtMs)>(new CommandDefinition(
            "SELECT id, email, role, created_at_ms FROM users WHERE organization_id = @OrganizationId ORDER BY created_at_ms, id",
            new { OrganizationId = organizationId }, cancellationToken: cancellationToken));
        return [.. rows.Select(r => new ExportedUser(r.Id, r.Email, r.Role, TenancyDatabase.FromMs(r.CreatedAtMs)))];
    }
}
