using System.Data.Common;

namespace SpotOptimizer.Storage;

/// <summary>
/// Everything that differs between the two databases we run on: how to open a connection, how schema changes are
/// serialized across processes, and how a write transaction takes its lock.
/// </summary>
internal sealed partial class SqlDialect
{
    /// <summary>Folder of the embedded schema scripts: <c>Schema/{Name}/NNN_description.sql</c>.</summary>
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

    // Schema bookkeeping: the migrator owns the version tables (one per schema module), the numbered scripts own everything else.
    public static string CreateSchemaVersionTable(string table) =>
        $"CREATE TABLE IF NOT EXISTS {table} (version INTEGER PRIMARY KEY, applied_at_ms BIGINT NOT NULL)";

    public static string ReadSchemaVersion(string table) => $"SELECT COALESCE(MAX(version), 0) FROM {table}";

    public static string RecordSchemaVersion(string table) => $"INSERT INTO {table} (version, applied_at_ms) VALUES (@Version, @AppliedAtMs)";
}
