using System.Data.Common;
using Dapper;

namespace SpotOptimizer.Tenancy;

/// <summary>Which organization owns which AWS account slot; an AWS account can be linked by one organization only.</summary>
public sealed class AccountDirectory(TenancyDatabase db, AuditLedger ledger)
{
    private const string Columns = "id AS Id, organization_id AS OrganizationId, aws_account_id AS AwsAccountId, created_at_ms AS CreatedAtMs";

    public async Task<AccountRecord?> GetAsync(string organizationId, string accountId, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<AccountRow>(new CommandDefinition(
            $"SELECT {Columns} FROM aws_accounts WHERE id = @Id AND organization_id = @OrganizationId",
            new { Id = accountId, OrganizationId = organizationId }, cancellationToken: cancellationToken));
        return row?.ToRecord();
    }

    /// <summary>The slot that holds a verified link to this AWS account, whichever organization owns it.</summary>
    public async Task<AccountRecord?> FindByAwsAccountAsync(string awsAccountId, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<AccountRow>(new CommandDefinition(
            $"SELECT {Columns} FROM aws_accounts WHERE aws_account_id = @AwsAccountId", new { AwsAccountId = awsAccountId }, cancellationToken: cancellationToken));
        return row?.ToRecord();
    }

    public async Task<IReadOnlyList<AccountRecord>> ListAsync(string organizationId, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<AccountRow>(new CommandDefinition(
            $"SELECT {Columns} FROM aws_accounts WHERE organization_id = @OrganizationId ORDER BY created_at_ms, id",
            new { OrganizationId = organizationId }, cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToRecord())];
    }

    /// <summary>The organization's account slot still waiting for a link, created when there is none.</summary>
    public async Task<AccountRecord> GetOrCreatePendingAsync(string organizationId, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var transaction = await db.Database.BeginWriteTransactionAsync(connection, cancellationToken);
        var pending = await connection.QueryFirstOrDefaultAsync<AccountRow>(new CommandDefinition(
            $"SELECT {Columns} FROM aws_accounts WHERE organization_id = @OrganizationId AND aws_account_id IS NULL ORDER BY created_at_ms, id",
            new { OrganizationId = organizationId }, transaction, cancellationToken: cancellationToken));
        if (pending is not null) return pending.ToRecord();

        var nowMs = db.NowMs();
        var record = new AccountRecord(IdentityStore.NewId(), organizationId, null, TenancyDatabase.FromMs(nowMs));
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO aws_accounts (id, organization_id, aws_account_id, created_at_ms) VALUES (@Id, @OrganizationId, NULL, @NowMs)",
            new { record.Id, record.OrganizationId, NowMs = nowMs }, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return record;
    }

    /// <summary>Binds the slot to a verified AWS account id.</summary>
    /// <exception cref="DuplicateException">Another slot (of any organization) already holds that AWS account.</exception>
    public async Task BindAwsAccountAsync(string organizationId, string accountId, string awsAccountId, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        try
        {
            var updated = await connection.ExecuteAsync(new CommandDefinition(
                """
                UPDATE aws_accounts SET aws_account_id = @AwsAccountId
                WHERE id = @Id AND organization_id = @OrganizationId AND (aws_account_id IS NULL OR aws_account_id = @AwsAccountId)
                """,
                new { Id = accountId, OrganizationId = organizationId, AwsAccountId = awsAccountId }, cancellationToken: cancellationToken));
            if (updated == 0) throw new DuplicateException("A different AWS account on this link");
        }
        catch (DbException exception) when (TenancyDatabase.IsUniqueViolation(exception))
        {
            throw new DuplicateException($"A link to AWS account {awsAccountId}");
        }
    }

    /// <summary>
    /// Removes the organization's account slot (unlinked: the AWS account may be linked again, by anyone) and records
    /// <paramref name="unlinked"/> in the same transaction. Null when the slot is not the organization's.
    /// </summary>
    public async Task<LedgerEntry?> RemoveAsync(string organizationId, string accountId, LedgerDraft unlinked, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var transaction = await db.Database.BeginWriteTransactionAsync(connection, cancellationToken);
        var removed = await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM aws_accounts WHERE id = @Id AND organization_id = @OrganizationId",
            new { Id = accountId, OrganizationId = organizationId }, transaction, cancellationToken: cancellationToken));
        if (removed == 0) return null;
        var entry = await ledger.AppendAsync(connection, transaction, unlinked, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        await ledger.PublishAsync(entry);
        return entry;
    }

    private sealed record AccountRow(string Id, string OrganizationId, string? AwsAccountId, long CreatedAtMs)
    {
        public AccountRecord ToRecord() => new(Id, OrganizationId, AwsAccountId, TenancyDatabase.FromMs(CreatedAtMs));
    }
}
