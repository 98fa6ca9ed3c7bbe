using System.Data.Common;
using System.Security.Cryptography;
using System.Text.Json;
using Dapper;

namespace SpotOptimizer.Tenancy.Lab;

/// <summary>
/// A registered interruption model, without its bytes. <see cref="ValidationJson"/> is the sandbox's report; the
/// training window is what the uploader said (null when they did not).
/// </summary>
public sealed record ModelRecord(
    string Id, string Name, string Version, string Format, string Sha256, long SizeBytes, string UploadedBy, DateTimeOffset UploadedAt, string ValidationJson,
    DateTimeOffset? TrainingFrom = null, DateTimeOffset? TrainingTo = null);

/// <summary>A model that passed validation, ready to register; a null version takes the name's next number.</summary>
public sealed record ModelRegistration(
    string Name, string? Version, string Format, byte[] Content, string ValidationJson, DateTimeOffset? TrainingFrom = null, DateTimeOffset? TrainingTo = null);

/// <summary>
/// The Lab's model registry (<c>ml_models</c>). A model is written only once it passed validation, together with its
/// <c>lab.model_registered</c> ledger entry in one write transaction, so no half-registered model can exist.
/// </summary>
public sealed class ModelRegistry(TenancyDatabase db, AuditLedger ledger, ICallerContext caller)
{
    public const string RegisteredAction = "lab.model_registered";

    private const string Columns =
        "id AS Id, name AS Name, version AS Version, format AS Format, sha256 AS Sha256, size_bytes AS SizeBytes, uploaded_by AS UploadedBy, " +
        "uploaded_at_ms AS UploadedAtMs, validation_json AS ValidationJson, training_from_ms AS TrainingFromMs, training_to_ms AS TrainingToMs";

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public async Task<IReadOnlyList<ModelRecord>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM ml_models ORDER BY uploaded_at_ms, id", cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToRecord())];
    }

    /// <summary>One model, or null; rows are never changed once written, so its id and SHA-256 name its bytes for good.</summary>
    public async Task<ModelRecord?> FindAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM ml_models WHERE id = @Id", new { Id = id }, cancellationToken: cancellationToken));
        return row?.ToRecord();
    }

    /// <summary>The stored bytes of a model, or null; what the platform loads to serve it.</summary>
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
            model.Content.LongLength, actor, TenancyDatabase.FromMs(nowMs), model.ValidationJson, model.TrainingFrom, model.TrainingTo);
        try
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO ml_models (id, name, version, format, sha256, size_bytes, content, uploaded_by, uploaded_at_ms, validation_json, training_from_ms, training_to_ms)
                VALUES (@Id, @Name, @Version, @Format, @Sha256, @SizeBytes, @Content, @UploadedBy, @NowMs, @ValidationJson, @TrainingFromMs, @TrainingToMs)
                """,
                new
                {
                    record.Id, record.Name, record.Version, record.Format, record.Sha256, record.SizeBytes, model.Content, record.UploadedBy, NowMs = nowMs,
                    record.ValidationJson, TrainingFromMs = model.TrainingFrom?.ToUnixTimeMilliseconds(), TrainingToMs = model.TrainingTo?.ToUnixTimeMilliseconds(),
                },
                transaction, cancellationToken: cancellationToken));
        }
        catch (DbException exception) when (TenancyDatabase.IsUniqueViolation(exception))
        {
            return null;
        }

        var entry = await ledger.AppendAsync(connection, transaction, new LedgerDraft(organizationId, actor, caller.Impersonator, RegisteredAction,
            $"model:{record.Id}", null, JsonSerializer.Serialize(new { record.Name, record.Version, record.Format, record.Sha256, record.SizeBytes, record.TrainingFrom, record.TrainingTo }, Json)),
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

        public long? TrainingFromMs { get; set; }

        public long? TrainingToMs { get; set; }

        public ModelRecord ToRecord() => new(Id, Name, Version, Format, Sha256, SizeBytes, UploadedBy, TenancyDatabase.FromMs(UploadedAtMs), ValidationJson,
            TrainingFromMs is { } from ? TenancyDatabase.FromMs(from) : null, TrainingToMs is { } to ? TenancyDatabase.FromMs(to) : null);
    }
}
