using System.Data.Common;
using Dapper;

namespace SpotOptimizer.Tenancy.Lifecycle;

/// <summary>The audit_checkpoints table, read and written inside the caller's connection (and transaction, when writing).</summary>
internal static class LedgerCheckpoints
{
    public static async Task<IReadOnlyList<LedgerCheckpoint>> ListAsync(
        DbConnection connection, DbTransaction? transaction, string organizationId, CancellationToken cancellationToken)
    {
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            """
            SELECT id AS Id, organization_id AS OrganizationId, kind AS Kind, from_seq AS FromSeq, to_seq AS ToSeq, last_hash AS LastHash,
                   content_digest AS ContentDigest, created_at_ms AS CreatedAtMs, signature AS Signature
            FROM audit_checkpoints WHERE organization_id = @OrganizationId ORDER BY to_seq, id
            """,
            new { OrganizationId = organizationId }, transaction, cancellationToken: cancellationToken));
        return [.. rows.Select(r => new LedgerCheckpoint(r.Id, r.OrganizationId, r.Kind, r.FromSeq, r.ToSeq, r.LastHash, r.ContentDigest,
            TenancyDatabase.FromMs(r.CreatedAtMs), r.Signature))];
    }

    public static Task<int> AddAsync(
        DbConnection connection, DbTransaction transaction, ICheckpointSigner signer, string organizationId, string kind, long fromSeq, long toSeq,
        string lastHash, string? contentDigest, long nowMs, CancellationToken cancellationToken)
    {
        var signature = signer.Sign(LedgerCheckpoint.Content(organizationId, kind, fromSeq, toSeq, lastHash, contentDigest, nowMs));
        return connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO audit_checkpoints (organization_id, kind, from_seq, to_seq, last_hash, content_digest, created_at_ms, signature)
            VALUES (@OrganizationId, @Kind, @FromSeq, @ToSeq, @LastHash, @ContentDigest, @NowMs, @Signature)
            """,
            new
            {
                OrganizationId = organizationId, Kind = kind, FromSeq = fromSeq, ToSeq = toSeq, LastHash = lastHash, ContentDigest = contentDigest,
                NowMs = nowMs, Signature = signature,
            },
            transaction, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Takes the organization's chain head for the rest of the transaction (PostgreSQL: a row lock; SQLite: the write
    /// transaction already holds the database's one write lock), so appends, archiving and erasure never interleave.
    /// </summary>
    public static async Task<(long Seq, string Hash)?> LockHeadAsync(
        TenancyDatabase db, DbConnection connection, DbTransaction transaction, string organizationId, CancellationToken cancellationToken)
    {
        var lockClause = db.Database.Dialect == "postgres" ? " FOR UPDATE" : "";
        var head = await connection.QuerySingleOrDefaultAsync<HeadRow>(new CommandDefinition(
            $"SELECT seq AS Seq, hash AS Hash FROM audit_heads WHERE organization_id = @OrganizationId{lockClause}",
            new { OrganizationId = organizationId }, transaction, cancellationToken: cancellationToken));
        return head is null ? null : (head.Seq, head.Hash);
    }

    public static async Task<List<LedgerEntry>> EntriesAsync(
        DbConnection connection, DbTransaction transaction, string organizationId, long? upToSeq, CancellationToken cancellationToken)
    {
        var rows = await connection.QueryAsync<AuditLedger.Row>(new CommandDefinition(
            $"SELECT {AuditQueries.Columns} FROM audit_ledger WHERE organization_id = @OrganizationId{(upToSeq is null ? "" : " AND seq <= @UpTo")} ORDER BY seq",
            new { OrganizationId = organizationId, UpTo = upToSeq }, transaction, cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToEntry())];
    }

    private sealed record HeadRow(long Seq, string Hash);

    private sealed record Row(
        long Id, string OrganizationId, string Kind, long FromSeq, long ToSeq, string LastHash, string? ContentDigest, long CreatedAtMs, string Signature);
}
