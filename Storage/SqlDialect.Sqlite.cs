using System.Data.Common;
using Dapper;
using Microsoft.Data.Sqlite;

namespace SpotOptimizer.Storage;

internal sealed partial class SqlDialect
{
    /// <summary>How long a SQLite writer waits for another connection's write lock before failing.</summary>
    private const int SqliteBusyTimeoutMs = 15_000;

    /// <summary>The embedded default: one database file, shared by every connection of this process (and others).</summary>
    public static SqlDialect ForSqlite(string connectionString)
    {
        CreateDatabaseDirectory(connectionString);
        return new SqlDialect
        {
            Name = "sqlite",
            OpenConnectionAsync = ct => OpenSqliteAsync(connectionString, ct),
            // deferred: false issues BEGIN IMMEDIATE: the write lock is taken before the version is read,
            // so a second migrator waits (busy timeout) and then sees the first one's row in schema_version.
            BeginSchemaTransactionAsync = (connection, _) =>
                Task.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(deferred: false)),
            BeginWriteTransactionAsync = (connection, _) =>
                Task.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(deferred: false)),
            // WAL lets readers run while one writer commits; the mode is stored in the file, so once is enough.
            PrepareSchemaSql = "PRAGMA journal_mode = WAL",
        };
    }

    private static async Task<DbConnection> OpenSqliteAsync(string connectionString, CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            // Without a busy timeout a writer that finds the file locked fails at once instead of queueing.
            await connection.ExecuteAsync(new CommandDefinition(
                $"PRAGMA busy_timeout = {SqliteBusyTimeoutMs}", cancellationToken: cancellationToken));
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private static void CreateDatabaseDirectory(string connectionString)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        var file = builder.DataSource;
        var inMemory = builder.Mode == SqliteOpenMode.Memory || string.IsNullOrEmpty(file)
            || file == ":memory:" || file.StartsWith("file:", StringComparison.OrdinalIgnoreCase);
        if (inMemory)
        {
            return;
        }

        // SQLite creates the file but not its folder; a fresh machine's data directory usually does not exist yet.
        var directory = Path.GetDirectoryName(Path.GetFullPath(file));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }
    }
}
