using System.Text.Json;
using Dapper;

namespace SpotOptimizer.Tenancy;

/// <summary>The wire and table names of the commitment kinds.</summary>
public static class CommitmentKinds
{
    public const string ReservedInstance = "reserved_instance";
    public const string Ec2InstanceSavingsPlan = "ec2_instance_savings_plan";
    public const string ComputeSavingsPlan = "compute_savings_plan";

    public static readonly IReadOnlyList<string> All = [ReservedInstance, Ec2InstanceSavingsPlan, ComputeSavingsPlan];
}

/// <summary>A Reserved Instance or Savings Plan the organization declared (fields by kind: see <c>006_commitments.sql</c>).</summary>
public sealed record CommitmentRecord(
    string Id,
    string OrganizationId,
    string Kind,
    string? InstanceType,
    string? Family,
    string? Region,
    string? Zone,
    int InstanceCount,
    double? HourlyRate,
    double? DiscountPercent,
    double HourlyCommitment,
    DateTimeOffset StartsAt,
    DateTimeOffset EndsAt,
    string CreatedBy,
    DateTimeOffset CreatedAt);

/// <summary>What a customer declares; the store gives it an id.</summary>
public sealed record CommitmentDraft(
    string Kind, string? InstanceType, string? Family, string? Region, string? Zone, int InstanceCount, double? HourlyRate, double? DiscountPercent,
    double HourlyCommitment, DateTimeOffset StartsAt, DateTimeOffset EndsAt);

/// <summary>
/// An organization's declared commitments. Each change is one write transaction with its ledger entry
/// (<c>commitment.declared</c>, <c>commitment.removed</c>), so the ledger and the table cannot disagree.
/// </summary>
public sealed class CommitmentStore(TenancyDatabase db, AuditLedger ledger, ICallerContext caller)
{
    private const string Columns =
        "id AS Id, organization_id AS OrganizationId, kind AS Kind, instance_type AS InstanceType, family AS Family, region AS Region, zone AS Zone, " +
        "instance_count AS InstanceCount, hourly_rate AS HourlyRate, discount_percent AS DiscountPercent, hourly_commitment AS HourlyCommitment, " +
        "starts_at_ms AS StartsAtMs, ends_at_ms AS EndsAtMs, created_by AS CreatedBy, created_at_ms AS CreatedAtMs";

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public async Task<IReadOnlyList<CommitmentRecord>> ListAsync(string organizationId, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM commitments WHERE organization_id = @OrganizationId ORDER BY created_at_ms, id",
            new { OrganizationId = organizationId }, cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToRecord())];
    }

    public async Task<CommitmentRecord> DeclareAsync(string organizationId, CommitmentDraft draft, string actor, CancellationToken cancellationToken)
    {
        var nowMs = db.NowMs();
        var record = new CommitmentRecord(IdentityStore.NewId(), organizationId, draft.Kind, draft.InstanceType, draft.Family, draft.Region, draft.Zone,
            draft.InstanceCount, draft.HourlyRate, draft.DiscountPercent, draft.HourlyCommitment, draft.StartsAt, draft.EndsAt, actor, TenancyDatabase.FromMs(nowMs));
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var transaction = await db.Database.BeginWriteTransactionAsync(connection, cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO commitments (id, organization_id, kind, instance_type, family, region, zone, instance_count, hourly_rate, discount_percent,
                hourly_commitment, starts_at_ms, ends_at_ms, created_by, created_at_ms)
            VALUES (@Id, @OrganizationId, @Kind, @InstanceType, @Family, @Region, @Zone, @InstanceCount, @HourlyRate, @DiscountPercent,
                @HourlyCommitment, @StartsAtMs, @EndsAtMs, @CreatedBy, @NowMs)
            """,
            new
            {
                record.Id, record.OrganizationId, record.Kind, record.InstanceType, record.Family, record.Region, record.Zone, record.InstanceCount,
                record.HourlyRate, record.DiscountPercent, record.HourlyCommitment, StartsAtMs = record.StartsAt.ToUnixTimeMilliseconds(),
                EndsAtMs = record.EndsAt.ToUnixTimeMilliseconds(), record.CreatedBy, NowMs = nowMs,
            },
            transaction, cancellationToken: cancellationToken));
        var entry = await ledger.AppendAsync(connection, transaction, new LedgerDraft(organizationId, actor, caller.Impersonator, "commitment.declared",
            $"commitment:{record.Id}", null, Describe(record)), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        await ledger.PublishAsync(entry);
        return record;
    }

    /// <returns>False when the organization has no commitment with that id (another organization's included).</returns>
    public async Task<bool> RemoveAsync(string organizationId, string id, string actor, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var transaction = await db.Database.BeginWriteTransactionAsync(connection, cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM commitments WHERE organization_id = @OrganizationId AND id = @Id",
            new { OrganizationId = organizationId, Id = id }, transaction, cancellationToken: cancellationToken));
        if (row is null) return false;
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM commitments WHERE organization_id = @OrganizationId AND id = @Id",
            new { OrganizationId = organizationId, Id = id }, transaction, cancellationToken: cancellationToken));
        var entry = await ledger.AppendAsync(connection, transaction, new LedgerDraft(organizationId, actor, caller.Impersonator, "commitment.removed",
            $"commitment:{id}", Describe(row.ToRecord()), null), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        await ledger.PublishAsync(entry);
        return true;
    }

    private static string Describe(CommitmentRecord record) => JsonSerializer.Serialize(new
    {
        record.Kind, record.InstanceType, record.Family, record.Region, record.Zone, record.InstanceCount, record.HourlyRate, record.DiscountPercent,
        record.HourlyCommitment, record.StartsAt, record.EndsAt,
    }, Json);

    /// <summary>Settable properties, so each driver's column types (SQLite's and PostgreSQL's) convert on read.</summary>
    private sealed class Row
    {
        public string Id { get; set; } = "";

        public string OrganizationId { get; set; } = "";

        public string Kind { get; set; } = "";

        public string? InstanceType { get; set; }

        public string? Family { get; set; }

        public string? Region { get; set; }

        public string? Zone { get; set; }

        public long InstanceCount { get; set; }

        public double? HourlyRate { get; set; }

        public double? DiscountPercent { get; set; }

        public double HourlyCommitment { get; set; }

        public long StartsAtMs { get; set; }

        public long EndsAtMs { get; set; }

        public string CreatedBy { get; set; } = "";

        public long CreatedAtMs { get; set; }

        public CommitmentRecord ToRecord() => new(Id, OrganizationId, Kind, InstanceType, Family, Region, Zone, (int)InstanceCount, HourlyRate, DiscountPercent,
            HourlyCommitment, TenancyDatabase.FromMs(StartsAtMs), TenancyDatabase.FromMs(EndsAtMs), CreatedBy, TenancyDatabase.FromMs(CreatedAtMs));
    }
}
