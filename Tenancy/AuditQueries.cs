using Dapper;
using SpotOptimizer.Tenancy.Lifecycle;

namespace SpotOptimizer.Tenancy;

/// <summary>Filters of <c>GET /api/audit</c>; all optional, combined with AND.</summary>
public sealed record AuditFilter(string? Actor, string? Action, string? Resource, DateTimeOffset? From, DateTimeOffset? To);

/// <summary>One page, newest first; pass <see cref="NextCursor"/> back for the next (older) page.</summary>
public sealed record AuditPage(IReadOnlyList<LedgerEntry> Entries, long? NextCursor);

/// <param name="FirstBroken">The first entry whose hash, sequence or link to its predecessor does not hold.</param>
public sealed record LedgerVerification(bool Intact, long EntriesChecked, long HeadSeq, string HeadHash, LedgerEntry? FirstBroken, string? Reason);

/// <summary>Reading the ledger: filtered pages, exports and verification of the chain. Read-only by construction.</summary>
/// <param name="signer">Verifies checkpoints; hosts without the platform key (a silo-only worker) never verify.</param>
public sealed class AuditQueries(TenancyDatabase db, ICheckpointSigner? signer = null)
{
    /// <summary>The ledger's columns as <see cref="AuditLedger.Row"/> reads them.</summary>
    internal const string Columns =
        "id AS Id, organization_id AS OrganizationId, seq AS Seq, actor AS Actor, impersonator AS Impersonator, action AS Action, " +
        "resource AS Resource, before_json AS Before, after_json AS After, occurred_at_ms AS OccurredAtMs, prev_hash AS PrevHash, hash AS Hash";

    public async Task<AuditPage> QueryAsync(string organizationId, AuditFilter filter, long? beforeSeq, int limit, CancellationToken cancellationToken)
    {
        var (where, parameters) = Where(organizationId, filter);
        if (beforeSeq is { } cursor)
        {
            where += " AND seq < @Cursor";
            parameters.Add("Cursor", cursor);
        }

        parameters.Add("Limit", limit + 1);
        await using var connection = await db.OpenAsync(cancellationToken);
        var rows = (await connection.QueryAsync<AuditLedger.Row>(new CommandDefinition(
            $"SELECT {Columns} FROM audit_ledger WHERE {where} ORDER BY seq DESC LIMIT @Limit", parameters, cancellationToken: cancellationToken))).ToList();
        var page = rows.Take(limit).Select(r => r.ToEntry()).ToList();
        return new AuditPage(page, rows.Count > limit ? page[^1].Seq : null);
    }

    /// <summary>The organization's newest entries, newest first: the live activity feed is the ledger's head.</summary>
    public async Task<IReadOnlyList<LedgerEntry>> ListRecentAsync(string organizationId, int limit, CancellationToken cancellationToken) =>
        (await QueryAsync(organizationId, new AuditFilter(null, null, null, null, null), null, limit, cancellationToken)).Entries;

    public async Task<LedgerEntry?> GetAsync(string organizationId, long id, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<AuditLedger.Row>(new CommandDefinition(
            $"SELECT {Columns} FROM audit_ledger WHERE organization_id = @OrganizationId AND id = @Id",
            new { OrganizationId = organizationId, Id = id }, cancellationToken: cancellationToken));
        return row?.ToEntry();
    }

    /// <summary>Entries in chain order (oldest first) within the time window, for export.</summary>
    public async Task<IReadOnlyList<LedgerEntry>> RangeAsync(string organizationId, DateTimeOffset? from, DateTimeOffset? to, CancellationToken cancellationToken)
    {
        var (where, parameters) = Where(organizationId, new AuditFilter(null, null, null, from, to));
        await using var connection = await db.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<AuditLedger.Row>(new CommandDefinition(
            $"SELECT {Columns} FROM audit_ledger WHERE {where} ORDER BY seq", parameters, cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToEntry())];
    }

    /// <summary>
    /// Walks the organization's whole chain: sequence without gaps, each link, each hash, the head, and the signed
    /// checkpoints where retention archived rows or an erasure redacted them (<see cref="LedgerChain"/>).
    /// </summary>
    public async Task<LedgerVerification> VerifyAsync(string organizationId, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        var head = await connection.QuerySingleOrDefaultAsync<HeadRow>(new CommandDefinition(
            "SELECT seq AS Seq, hash AS Hash FROM audit_heads WHERE organization_id = @OrganizationId", new { OrganizationId = organizationId },
            cancellationToken: cancellationToken));
        var (headSeq, headHash) = head is null ? (0L, LedgerHash.Genesis) : (head.Seq, head.Hash);
        var rows = await connection.QueryAsync<AuditLedger.Row>(new CommandDefinition(
            $"SELECT {Columns} FROM audit_ledger WHERE organization_id = @OrganizationId ORDER BY seq",
            new { OrganizationId = organizationId }, cancellationToken: cancellationToken));
        var checkpoints = await LedgerCheckpoints.ListAsync(connection, null, organizationId, cancellationToken);
        return LedgerChain.Verify([.. rows.Select(r => r.ToEntry())], checkpoints, headSeq, headHash, signer);
    }

    public async Task<IReadOnlyList<LedgerCheckpoint>> CheckpointsAsync(string organizationId, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        return await LedgerCheckpoints.ListAsync(connection, null, organizationId, cancellationToken);
    }

    /// <summary>Every entry of one action (optionally on one resource), oldest first: the KPIs read replacements and interruptions.</summary>
    public async Task<IReadOnlyList<LedgerEntry>> OfActionAsync(string organizationId, string action, string? resource, CancellationToken cancellationToken)
    {
        var (where, parameters) = Where(organizationId, new AuditFilter(null, action, resource, null, null));
        await using var connection = await db.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<AuditLedger.Row>(new CommandDefinition(
            $"SELECT {Columns} FROM audit_ledger WHERE {where} ORDER BY seq", parameters, cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToEntry())];
    }

    /// <summary>How many entries of one action (optionally on one resource) there are: a cheap "has anything changed?".</summary>
    public async Task<long> CountOfActionAsync(string organizationId, string action, string? resource, CancellationToken cancellationToken)
    {
        var (where, parameters) = Where(organizationId, new AuditFilter(null, action, resource, null, null));
        await using var connection = await db.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition($"SELECT COUNT(*) FROM audit_ledger WHERE {where}", parameters, cancellationToken: cancellationToken));
    }

    private sealed record HeadRow(long Seq, string Hash);

    private static (string Where, DynamicParameters Parameters) Where(string organizationId, AuditFilter filter)
    {
        var where = "organization_id = @OrganizationId";
        var parameters = new DynamicParameters(new { OrganizationId = organizationId });
        if (filter.Actor is { } actor) { where += " AND actor = @Actor"; parameters.Add("Actor", actor); }
        if (filter.Action is { } action) { where += " AND action = @Action"; parameters.Add("Action", action); }
        if (filter.Resource is { } resource) { where += " AND resource = @Resource"; parameters.Add("Resource", resource); }
        if (filter.From is { } from) { where += " AND occurred_at_ms >= @FromMs"; parameters.Add("FromMs", from.ToUnixTimeMilliseconds()); }
        if (filter.To is { } to) { where += " AND occurred_at_ms < @ToMs"; parameters.Add("ToMs", to.ToUnixTimeMilliseconds()); }
        return (where, parameters);
    }
}
