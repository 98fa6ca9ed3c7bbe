using System.Data.Common;
using System.Security.Cryptography;
using System.Text.Json;
using Dapper;

namespace SpotOptimizer.Tenancy.Lab;

/// <summary>A registered interruption model, without its bytes. <see cref="ValidationJson"/> is the sandbox's report.</summary>
public sealed record ModelRecord(
    string Id, string Name, string Version, string Format, string Sha256, long SizeBytes, string UploadedBy, DateTimeOffset UploadedAt, string ValidationJson);

/// <summary>A model that passed validation, ready to register; a null version takes the name's next number.</summary>
public sealed record ModelRegistration(string Name, string? Version, string Format, byte[] Content, string ValidationJson);

/// <summary>
/// The Lab's model registry (<c>ml_models</c>). A model is written only once it passed validation, together with its
/// <c>lab.model_registered</c> ledger entry in one write transaction, so no half-registered model can exist.
/// </summary>
public sealed class ModelRegistry(TenancyDatabase db, AuditLedger ledger, ICallerContext caller)
{
    public const string RegisteredAction = "lab.model_registered";

    private const string Columns =
        "id AS Id, name AS Name, version AS Version, format AS Format, sha256 AS Sha256, size_bytes AS SizeBytes, uploaded_by AS UploadedBy, " +
        "uploaded_at_ms AS UploadedAtMs, validation_json AS ValidationJson";

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public async Task<IReadOnlyList<ModelRecord>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM ml_models ORDER BY uploaded_at_ms, id", cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToRecord())];
    }

    /// <summary>The stored bytes of a model, or null; what the platform will load once a model is promoted.</summary>
    public async Task<byte[]?> ContentAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<byte[]>(new CommandDefinition(
            "SELECT content FROM ml_models WHERE id = @Id", new { Id = id }, cancellationToken: cancellationToken));
    }

    /// <returns>Null when the name already has that version (nothing is written then).</returns>
    public async Task<ModelRecord?> RegisterAsync(string organizationId, string actor, ModelRegistration model, CancellationToken cancellationToken)
    {
        var nowMs = db.NowMs();
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var transaction = await db.Database.BeginWriteTransactionAsync(connection, cancellationToken);
        var version = model.Version ?? (await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM ml_models WHERE name = @Name", new { model.Name }, transaction, cancellationToken: cancellationToken)) + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var record = new ModelRecord(IdentityStore.NewId(), model.Name, version, model.Format, Convert.ToHexStringLower(SHA256.HashData(model.Content)),
            model.Content.LongLength, actor, TenancyDatabase.FromMs(nowMs), model.ValidationJson);
        try
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO ml_models (id, name, version, format, sha256, size_bytes, content, uploaded_by, uploaded_at_ms, validation_json)
                VALUES (@Id, @Name, @Version, @Format, @Sha256, @SizeBytes, @Content, @UploadedBy, @NowMs, @ValidationJson)
                """,
                new
                {
                    record.Id, record.Name, record.Version, record.Format, record.Sha256, record.SizeBytes, model.Content, record.UploadedBy, NowMs = nowMs,
                    record.ValidationJson,
                },
                transaction, cancellationToken: cancellationToken));
        }
        catch (DbException exception) when (TenancyDatabase.IsUniqueViolation(exception))
        {
            return null;
        }

        var entry = await ledger.AppendAsync(connection, transaction, new LedgerDraft(organizationId, actor, caller.Impersonator, RegisteredAction,
            $"model:{record.Id}", null, JsonSerializer.Serialize(new { record.Name, record.Version, record.Format, record.Sha256, record.SizeBytes }, Json)),
            cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        await ledger.PublishAsync(entry);
        return record;
    }

    /// <summary>Settable properties, so each driver's column types (SQLite's and PostgreSQL's) convert on read.</summary>
    private sealed class Row
    {
        public string Id { get; set; } = "";

        public string Name { get; set; } = "";

        public string Version { get; set; } = "";

        public string Format { get; set; } = "";

        public string Sha256 { get; set; } = "";

        public long SizeBytes { get; set; }

        public string UploadedBy { get; set; } = "";

        public long UploadedAtMs { get; set; }

        public string ValidationJson { get; set; } = "";

        public ModelRecord ToRecord() => new(Id, Name, Version, Format, Sha256, SizeBytes, UploadedBy, TenancyDatabase.FromMs(UploadedAtMs), ValidationJson);
    }
}
