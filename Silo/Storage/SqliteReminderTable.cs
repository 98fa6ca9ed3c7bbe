using System.Data.Common;
using System.Globalization;
using Dapper;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Configuration;
using Orleans.Runtime;
using SpotOptimizer.Storage;

namespace SpotOptimizer.Silo.Storage;

/// <summary>
/// Orleans reminders in the embedded default's SQLite file (Orleans ships ADO.NET reminder scripts for servers only).
/// ETags are row versions: an upsert bumps it, a remove succeeds only against the version the caller read.
/// </summary>
internal sealed class SqliteReminderTable(IRelationalDatabase database, IOptions<ClusterOptions> cluster) : IReminderTable
{
    private const string Columns = "grain_id AS GrainId, reminder_name AS ReminderName, start_at_ms AS StartAtMs, period_ms AS PeriodMs, version AS Version";

    private string ServiceId => cluster.Value.ServiceId;

    public Task<ReminderTableData> ReadRows(GrainId grainId) =>
        QueryAsync($"SELECT {Columns} FROM orleans_reminders WHERE service_id = @ServiceId AND grain_id = @GrainId",
            new { ServiceId, GrainId = grainId.ToString() });

    /// <summary>The reminders of the ring range (begin, end]; when begin ≥ end the range wraps around zero.</summary>
    public Task<ReminderTableData> ReadRows(uint begin, uint end) =>
        QueryAsync(
            begin < end
                ? $"SELECT {Columns} FROM orleans_reminders WHERE service_id = @ServiceId AND grain_hash > @Begin AND grain_hash <= @End"
                : $"SELECT {Columns} FROM orleans_reminders WHERE service_id = @ServiceId AND (grain_hash > @Begin OR grain_hash <= @End)",
            new { ServiceId, Begin = (long)begin, End = (long)end });

    public async Task<ReminderEntry?> ReadRow(GrainId grainId, string reminderName)
    {
        await using var connection = await database.OpenConnectionAsync(CancellationToken.None);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(
            $"SELECT {Columns} FROM orleans_reminders WHERE service_id = @ServiceId AND grain_id = @GrainId AND reminder_name = @ReminderName",
            new { ServiceId, GrainId = grainId.ToString(), ReminderName = reminderName });
        return row?.ToEntry();
    }

    public async Task<string?> UpsertRow(ReminderEntry entry)
    {
        await using var connection = await database.OpenConnectionAsync(CancellationToken.None);
        var version = await connection.ExecuteScalarAsync<long>(
            """
            INSERT INTO orleans_reminders (service_id, grain_id, reminder_name, grain_hash, start_at_ms, period_ms, version)
            VALUES (@ServiceId, @GrainId, @ReminderName, @GrainHash, @StartAtMs, @PeriodMs, 1)
            ON CONFLICT (service_id, grain_id, reminder_name)
            DO UPDATE SET start_at_ms = excluded.start_at_ms, period_ms = excluded.period_ms, version = orleans_reminders.version + 1
            RETURNING version
            """,
            new
            {
                ServiceId, GrainId = entry.GrainId.ToString(), entry.ReminderName, GrainHash = (long)entry.GrainId.GetUniformHashCode(),
                StartAtMs = new DateTimeOffset(DateTime.SpecifyKind(entry.StartAt, DateTimeKind.Utc)).ToUnixTimeMilliseconds(),
                PeriodMs = (long)entry.Period.TotalMilliseconds,
            });
        return version.ToString(CultureInfo.InvariantCulture);
    }

    public async Task<bool> RemoveRow(GrainId grainId, string reminderName, string eTag)
    {
        if (!long.TryParse(eTag, NumberStyles.None, CultureInfo.InvariantCulture, out var version)) return false;
        await using var connection = await database.OpenConnectionAsync(CancellationToken.None);
        return await connection.ExecuteAsync(
            "DELETE FROM orleans_reminders WHERE service_id = @ServiceId AND grain_id = @GrainId AND reminder_name = @ReminderName AND version = @Version",
            new { ServiceId, GrainId = grainId.ToString(), ReminderName = reminderName, Version = version }) == 1;
    }

    public async Task TestOnlyClearTable()
    {
        await using var connection = await database.OpenConnectionAsync(CancellationToken.None);
        await connection.ExecuteAsync("DELETE FROM orleans_reminders WHERE service_id = @ServiceId", new { ServiceId });
    }

    private async Task<ReminderTableData> QueryAsync(string sql, object parameters)
    {
        await using DbConnection connection = await database.OpenConnectionAsync(CancellationToken.None);
        var rows = await connection.QueryAsync<Row>(sql, parameters);
        return new ReminderTableData(rows.Select(r => r.ToEntry()));
    }

    private sealed record Row(string GrainId, string ReminderName, long StartAtMs, long PeriodMs, long Version)
    {
        public ReminderEntry ToEntry() => new()
        {
            GrainId = Orleans.Runtime.GrainId.Parse(GrainId),
            ReminderName = ReminderName,
            StartAt = DateTimeOffset.FromUnixTimeMilliseconds(StartAtMs).UtcDateTime,
            Period = TimeSpan.FromMilliseconds(PeriodMs),
            ETag = Version.ToString(CultureInfo.InvariantCulture),
        };
    }
}
