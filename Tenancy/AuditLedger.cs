using System.Data.Common;
using Dapper;

namespace SpotOptimizer.Tenancy;

/// <summary>
/// The tamper-evident record of every mutation and cloud action, one hash chain per organization: each entry's
/// SHA-256 covers its content and the previous entry's hash. Entries are only ever appended — there is no update or
/// delete path — and each is published on the organization's activity feed after it commits.
/// </summary>
public sealed partial class AuditLedger(TenancyDatabase db, IActivityPublisher feed, ICallerContext caller)
{
    /// <summary>The call-context key naming a super admin acting on a tenant's behalf; every entry written meanwhile carries it.</summary>
    public const string ImpersonatorKey = "impersonator";

    /// <summary>Appends in its own transaction and publishes.</summary>
    public async Task<LedgerEntry> RecordAsync(
        string organizationId, string actor, string action, string resource, string? after, CancellationToken cancellationToken,
        string? before = null, string? impersonator = null)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var transaction = await db.Database.BeginWriteTransactionAsync(connection, cancellationToken);
        impersonator ??= caller.Impersonator;
        var entry = await AppendAsync(connection, transaction, new LedgerDraft(organizationId, actor, impersonator, action, resource, before, after), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        await PublishAsync(entry);
        return entry;
    }

    /// <summary>
    /// Appends inside the caller's write transaction, so the entry commits (or not) with the change it describes.
    /// Publish with <see cref="PublishAsync"/> after the commit.
    /// </summary>
    public async Task<LedgerEntry> AppendAsync(DbConnection connection, DbTransaction transaction, LedgerDraft draft, CancellationToken cancellationToken)
    {
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO audit_heads (organization_id, seq, hash) VALUES (@OrganizationId, 0, @Genesis) ON CONFLICT (organization_id) DO NOTHING",
            new { draft.OrganizationId, Genesis = LedgerHash.Genesis }, transaction, cancellationToken: cancellationToken));
        // PostgreSQL: lock the head row so a concurrent append waits and then chains onto this one.
        // SQLite: the write transaction already holds the database's single write lock.
        var lockClause = db.Database.Dialect == "postgres" ? " FOR UPDATE" : "";
        var head = await connection.QuerySingleAsync<Head>(new CommandDefinition(
            $"SELECT seq AS Seq, hash AS Hash FROM audit_heads WHERE organization_id = @OrganizationId{lockClause}",
            new { draft.OrganizationId }, transaction, cancellationToken: cancellationToken));

        var occurredAtMs = db.NowMs();
        var seq = head.Seq + 1;
        var hash = LedgerHash.Of(draft, seq, occurredAtMs, head.Hash);
        var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            """
            INSERT INTO audit_ledger (organization_id, seq, actor, impersonator, action, resource, before_json, after_json, occurred_at_ms, prev_hash, hash)
            VALUES (@OrganizationId, @Seq, @Actor, @Impersonator, @Action, @Resource, @Before, @After, @OccurredAtMs, @PrevHash, @Hash)
            RETURNING id
            """,
            new
            {
                draft.OrganizationId, Seq = seq, draft.Actor, draft.Impersonator, draft.Action, draft.Resource, draft.Before, draft.After,
                OccurredAtMs = occurredAtMs, PrevHash = head.Hash, Hash = hash,
            },
            transaction, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE audit_heads SET seq = @Seq, hash = @Hash WHERE organization_id = @OrganizationId",
            new { draft.OrganizationId, Seq = seq, Hash = hash }, transaction, cancellationToken: cancellationToken));
        return new LedgerEntry(id, draft.OrganizationId, seq, draft.Actor, draft.Impersonator, draft.Action, draft.Resource,
            draft.Before, draft.After, TenancyDatabase.FromMs(occurredAtMs), head.Hash, hash);
    }

    public Task PublishAsync(LedgerEntry entry) => feed.PublishAsync(entry);

    private sealed record Head(long Seq, string Hash);

    internal sealed record Row(
        long Id, string OrganizationId, long Seq, string Actor, string? Impersonator, string Action, string Resource,
        string? Before, string? After, long OccurredAtMs, string PrevHash, string Hash)
    {
        public LedgerEntry ToEntry() =>
            new(Id, OrganizationId, Seq, Actor, Impersonator, Action, Resource, Before, After, TenancyDatabase.FromMs(OccurredAtMs), PrevHash, Hash);
    }
}
