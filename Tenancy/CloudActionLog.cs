using Dapper;

namespace SpotOptimizer.Tenancy;

/// <summary>A cloud action the executor completed (or dry-ran): what it did and what came back.</summary>
public sealed record CompletedCloudAction(
    string IdempotencyKey, string OrganizationId, string Resource, string Action, bool DryRun, string ResultJson, DateTimeOffset CompletedAt);

/// <summary>
/// The executor's memory of completed actions, keyed by idempotency key. Completing an action and its ledger entry
/// commit together, so the ledger never shows an action the log would repeat, nor the other way round.
/// </summary>
public sealed class CloudActionLog(TenancyDatabase db, AuditLedger ledger)
{
    public async Task<CompletedCloudAction?> FindAsync(string idempotencyKey, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            """
            SELECT idempotency_key AS IdempotencyKey, organization_id AS OrganizationId, resource AS Resource, action AS Action,
                   dry_run AS DryRun, result_json AS ResultJson, completed_at_ms AS CompletedAtMs
            FROM cloud_actions WHERE idempotency_key = @idempotencyKey
            """,
            new { idempotencyKey }, cancellationToken: cancellationToken));
        return row?.ToAction();
    }

    /// <summary>
    /// Records the action and appends <paramref name="entry"/> to the ledger in one transaction. When another
    /// attempt recorded the same key first, nothing is written and that attempt's record is returned.
    /// </summary>
    public async Task<CompletedCloudAction> CompleteAsync(CompletedCloudAction action, LedgerDraft entry, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var transaction = await db.Database.BeginWriteTransactionAsync(connection, cancellationToken);
        var inserted = await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO cloud_actions (idempotency_key, organization_id, resource, action, dry_run, result_json, completed_at_ms)
            VALUES (@IdempotencyKey, @OrganizationId, @Resource, @Action, @DryRun, @ResultJson, @CompletedAtMs)
            ON CONFLICT (idempotency_key) DO NOTHING
            """,
            new
            {
                action.IdempotencyKey, action.OrganizationId, action.Resource, action.Action, DryRun = (short)(action.DryRun ? 1 : 0),
                action.ResultJson, CompletedAtMs = action.CompletedAt.ToUnixTimeMilliseconds(),
            },
            transaction, cancellationToken: cancellationToken));
        if (inserted == 0)
        {
            await transaction.RollbackAsync(cancellationToken);
            return await FindAsync(action.IdempotencyKey, cancellationToken)
                ?? throw new InvalidOperationException($"Cloud action {action.IdempotencyKey} conflicted but cannot be read.");
        }

        var appended = await ledger.AppendAsync(connection, transaction, entry, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        await ledger.PublishAsync(appended);
        return action;
    }

    /// <summary>Settable properties, not a positional record: the drivers return dry_run as Int16 (PostgreSQL) or Int64 (SQLite).</summary>
    private sealed class Row
    {
        public string IdempotencyKey { get; set; } = "";

        public string OrganizationId { get; set; } = "";

        public string Resource { get; set; } = "";

        public string Action { get; set; } = "";

        public long DryRun { get; set; }

        public string ResultJson { get; set; } = "";

        public long CompletedAtMs { get; set; }

        public CompletedCloudAction ToAction() =>
            new(IdempotencyKey, OrganizationId, Resource, Action, DryRun != 0, ResultJson, TenancyDatabase.FromMs(CompletedAtMs));
    }
}
