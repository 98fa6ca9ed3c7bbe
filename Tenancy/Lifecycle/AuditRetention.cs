using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace SpotOptimizer.Tenancy.Lifecycle;

/// <summary>One retention run's removed rows, with every hash, downloadable afterwards.</summary>
public sealed record AuditArchive(string Id, string OrganizationId, long FromSeq, long ToSeq, int EntryCount, string ContentSha256, DateTimeOffset CreatedAt);

/// <summary>
/// Per-organization audit retention: rows older than the organization's setting are moved into an archive row and
/// deleted, and a signed retention checkpoint (seq and hash of the last removed row) lets verification start after
/// them. Each organization's run holds its chain head, so with several instances only one archives a given span.
/// </summary>
public sealed class AuditRetention(TenancyDatabase db, AuditLedger ledger, ICheckpointSigner signer, [FromKeyedServices(AuditRetention.ClockKey)] TimeProvider clock)
{
    /// <summary>The retention run's clock (keyed, so a test can move it without moving the grain runtime's).</summary>
    public const string ClockKey = "audit-retention";

    public const int MinDays = 30;
    public const int MaxDays = 3650;

    public TimeProvider Clock => clock;

    public async Task<int?> GetDaysAsync(string organizationId, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        var days = await connection.QuerySingleOrDefaultAsync<long?>(new CommandDefinition(
            "SELECT days FROM audit_retention WHERE organization_id = @OrganizationId", new { OrganizationId = organizationId }, cancellationToken: cancellationToken));
        return (int?)days;
    }

    /// <summary>Sets (or with null, removes) the retention, audited in the same transaction.</summary>
    public async Task SetDaysAsync(string organizationId, string actor, string? impersonator, int? days, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var transaction = await db.Database.BeginWriteTransactionAsync(connection, cancellationToken);
        var parameters = new { OrganizationId = organizationId, Days = days, NowMs = db.NowMs() };
        var before = await connection.QuerySingleOrDefaultAsync<long?>(new CommandDefinition(
            "SELECT days FROM audit_retention WHERE organization_id = @OrganizationId", parameters, transaction, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition(
            days is null
                ? "DELETE FROM audit_retention WHERE organization_id = @OrganizationId"
                : """
                  INSERT INTO audit_retention (organization_id, days, updated_at_ms) VALUES (@OrganizationId, @Days, @NowMs)
                  ON CONFLICT (organization_id) DO UPDATE SET days = excluded.days, updated_at_ms = excluded.updated_at_ms
                  """,
            parameters, transaction, cancellationToken: cancellationToken));
        var entry = await ledger.AppendAsync(connection, transaction, new LedgerDraft(organizationId, actor, impersonator, "audit.retention_updated",
            $"organization:{organizationId}", JsonSerializer.Serialize(new { days = before }), JsonSerializer.Serialize(new { days })), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        await ledger.PublishAsync(entry);
    }

    /// <summary>One pass over every organization with a retention; returns the archives written.</summary>
    public async Task<IReadOnlyList<AuditArchive>> RunAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        List<(string OrganizationId, long Days)> settings;
        await using (var connection = await db.OpenAsync(cancellationToken))
        {
            settings = [.. await connection.QueryAsync<(string, long)>(new CommandDefinition(
                "SELECT organization_id, days FROM audit_retention ORDER BY organization_id", cancellationToken: cancellationToken))];
        }

        var archives = new List<AuditArchive>();
        foreach (var (organizationId, days) in settings)
        {
            if (await ArchiveAsync(organizationId, now - TimeSpan.FromDays(days), cancellationToken) is { } archive) archives.Add(archive);
        }

        return archives;
    }

    /// <summary>
    /// Moves the chain's oldest rows, up to the newest one before <paramref name="cutoff"/>, into an archive: one
    /// transaction holding the chain head, so a second instance running at once waits and then finds nothing left to do.
    /// </summary>
    public async Task<AuditArchive?> ArchiveAsync(string organizationId, DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var transaction = await db.Database.BeginWriteTransactionAsync(connection, cancellationToken);
        if (await LedgerCheckpoints.LockHeadAsync(db, connection, transaction, organizationId, cancellationToken) is null) return null;
        var lastOld = await connection.QuerySingleOrDefaultAsync<long?>(new CommandDefinition(
            "SELECT MAX(seq) FROM audit_ledger WHERE organization_id = @OrganizationId AND occurred_at_ms < @CutoffMs",
            new { OrganizationId = organizationId, CutoffMs = cutoff.ToUnixTimeMilliseconds() }, transaction, cancellationToken: cancellationToken));
        if (lastOld is not { } toSeq) return null;

        // Everything up to the newest old row, so what remains is one unbroken chain.
        var removed = await LedgerCheckpoints.EntriesAsync(connection, transaction, organizationId, toSeq, cancellationToken);
        var content = JsonSerializer.Serialize(removed, ArchiveJson);
        var nowMs = db.NowMs();
        var archive = new AuditArchive(IdentityStore.NewId(), organizationId, removed[0].Seq, toSeq, removed.Count, LedgerHash.HashText(content),
            TenancyDatabase.FromMs(nowMs));
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO audit_archives (id, organization_id, from_seq, to_seq, entry_count, content, content_sha256, created_at_ms)
            VALUES (@Id, @OrganizationId, @FromSeq, @ToSeq, @EntryCount, @Content, @ContentSha256, @NowMs)
            """,
            new { archive.Id, archive.OrganizationId, archive.FromSeq, archive.ToSeq, archive.EntryCount, Content = content, archive.ContentSha256, NowMs = nowMs },
            transaction, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM audit_ledger WHERE organization_id = @OrganizationId AND seq <= @ToSeq",
            new { OrganizationId = organizationId, ToSeq = toSeq }, transaction, cancellationToken: cancellationToken));
        await LedgerCheckpoints.AddAsync(connection, transaction, signer, organizationId, CheckpointKinds.Retention, archive.FromSeq, toSeq,
            removed[^1].Hash, null, nowMs, cancellationToken);
        var entry = await ledger.AppendAsync(connection, transaction, new LedgerDraft(organizationId, "system:retention", null, "audit.archived",
            $"audit_archive:{archive.Id}", null, JsonSerializer.Serialize(new { archive_id = archive.Id, from_seq = archive.FromSeq, to_seq = toSeq, entries = removed.Count })),
            cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        await ledger.PublishAsync(entry);
        return archive;
    }

    public async Task<IReadOnlyList<AuditArchive>> ListArchivesAsync(string organizationId, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<ArchiveRow>(new CommandDefinition(
            $"SELECT {ArchiveColumns} FROM audit_archives WHERE organization_id = @OrganizationId ORDER BY created_at_ms DESC, id",
            new { OrganizationId = organizationId }, cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToArchive())];
    }

    /// <summary>The archive and its content (a JSON array of ledger entries); null when not the organization's.</summary>
    public async Task<(AuditArchive Archive, string Content)?> GetArchiveAsync(string organizationId, string archiveId, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<ArchiveRow>(new CommandDefinition(
            $"SELECT {ArchiveColumns}, content AS Content FROM audit_archives WHERE organization_id = @OrganizationId AND id = @Id",
            new { OrganizationId = organizationId, Id = archiveId }, cancellationToken: cancellationToken));
        return row is null ? null : (row.ToArchive(), row.Content!);
    }

    /// <summary>Archives spell entries as the ledger stores them (snake_case), so an archive verifies with <see cref="LedgerHash"/>.</summary>
    public static readonly JsonSerializerOptions ArchiveJson = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private const string ArchiveColumns =
        "id AS Id, organization_id AS OrganizationId, from_seq AS FromSeq, to_seq AS ToSeq, entry_count AS EntryCount, content_sha256 AS ContentSha256, created_at_ms AS CreatedAtMs";

    private sealed class ArchiveRow
    {
        public string Id { get; set; } = "";

        public string OrganizationId { get; set; } = "";

        public long FromSeq { get; set; }

        public long ToSeq { get; set; }

        public long EntryCount { get; set; }

        public string ContentSha256 { get; set; } = "";

        public long CreatedAtMs { get; set; }

        public string? Content { get; set; }

        public AuditArchive ToArchive() => new(Id, OrganizationId, FromSeq, ToSeq, (int)EntryCount, ContentSha256, TenancyDatabase.FromMs(CreatedAtMs));
    }
}
