using System.Data.Common;

namespace SpotOptimizer.Runtime.Storage;

/// <summary>
/// Everything that differs between the databases the ADO.NET stores run on: how to open a connection,
/// how schema changes are serialized, and the SQL text of each operation. The stores are written once against it.
/// Statements use Dapper parameters named after the properties of the stores' parameter objects.
/// </summary>
internal sealed partial class SqlDialect
{
    private const string StateKey = "grain_type = @GrainType AND grain_key = @GrainKey AND state_name = @StateName";
    private const string ReminderColumns =
        "grain_type AS GrainType, grain_key AS GrainKey, reminder_name AS ReminderName, start_at_ms AS StartAtMs, period_ms AS PeriodMs";

    /// <summary>Folder of the embedded schema scripts: <c>Storage/Schema/{Name}/NNN_description.sql</c>.</summary>
    public required string Name { get; init; }

    public required Func<CancellationToken, Task<DbConnection>> OpenConnectionAsync { get; init; }

    /// <summary>
    /// Starts the transaction one schema script runs in. It must make concurrent migrators (other processes too)
    /// queue behind each other, so the second one sees the first one's recorded version and skips the script.
    /// </summary>
    public required Func<DbConnection, CancellationToken, Task<DbTransaction>> BeginSchemaTransactionAsync { get; init; }

    /// <summary>Starts a product module's write transaction (see <see cref="IRelationalDatabase.BeginWriteTransactionAsync"/>).</summary>
    public required Func<DbConnection, CancellationToken, Task<DbTransaction>> BeginWriteTransactionAsync { get; init; }

    /// <summary>Runs before any script, outside a transaction (SQLite cannot change its journal mode inside one).</summary>
    public string? PrepareSchemaSql { get; init; }

    // Grain state: columns Json (text) and Version (bigint).
    public required string ReadState { get; init; }

    /// <summary>Creates version 1; affects no row when one exists, so a null-ETag write cannot overwrite.</summary>
    public required string InsertState { get; init; }

    /// <summary>Bumps the version only when it still equals @Version, so exactly one of racing writers wins.</summary>
    public required string UpdateState { get; init; }

    public string ReadStateVersion { get; init; } = $"SELECT version FROM grain_state WHERE {StateKey}";

    public string DeleteState { get; init; } = $"DELETE FROM grain_state WHERE {StateKey} AND version = @Version";

    // Reminders: identical SQL on both databases (INSERT … ON CONFLICT … DO UPDATE is shared syntax).
    public string ReadAllReminders { get; init; } = $"SELECT {ReminderColumns} FROM reminders";

    public string ReadReminder { get; init; } =
        $"SELECT {ReminderColumns} FROM reminders WHERE grain_type = @GrainType AND grain_key = @GrainKey AND reminder_name = @ReminderName";

    public string UpsertReminder { get; init; } =
        """
        INSERT INTO reminders (grain_type, grain_key, reminder_name, start_at_ms, period_ms)
        VALUES (@GrainType, @GrainKey, @ReminderName, @StartAtMs, @PeriodMs)
        ON CONFLICT (grain_type, grain_key, reminder_name)
        DO UPDATE SET start_at_ms = excluded.start_at_ms, period_ms = excluded.period_ms
        """;

    public string DeleteReminder { get; init; } =
        "DELETE FROM reminders WHERE grain_type = @GrainType AND grain_key = @GrainKey AND reminder_name = @ReminderName";

    // Schema bookkeeping: the migrator owns the version tables (one per schema module), the numbered scripts own everything else.
    public static string CreateSchemaVersionTable(string table) =>
        $"CREATE TABLE IF NOT EXISTS {table} (version INTEGER PRIMARY KEY, applied_at_ms BIGINT NOT NULL)";

    public static string ReadSchemaVersion(string table) => $"SELECT COALESCE(MAX(version), 0) FROM {table}";

    public static string RecordSchemaVersion(string table) => $"INSERT INTO {table} (version, applied_at_ms) VALUES (@Version, @AppliedAtMs)";
}
