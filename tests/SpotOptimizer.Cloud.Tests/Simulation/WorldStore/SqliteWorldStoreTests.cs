using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace SpotOptimizer.Cloud.Tests.Simulation.WorldStore;

/// <summary>The store on a SQLite file set up as the embedded default's (WAL, waiting for a busy database).</summary>
public sealed class SqliteWorldStoreTests : RelationalWorldStoreTests, IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"spotopt-world-tests-{Guid.NewGuid():N}");

    protected override async Task<Func<CancellationToken, Task<DbConnection>>> CreateDatabaseAsync()
    {
        Directory.CreateDirectory(_folder);
        // Unpooled: a pooled connection would keep the file open after the folder is deleted.
        var connectionString = new SqliteConnectionStringBuilder { DataSource = Path.Combine(_folder, "world.db"), Pooling = false }.ToString();

        async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
        {
            var connection = new SqliteConnection(connectionString);
            await connection.OpenAsync(cancellationToken);
            await ExecuteAsync(connection, "PRAGMA busy_timeout = 15000");
            return connection;
        }

        await using var connection = await OpenAsync(CancellationToken.None);
        await ExecuteAsync(connection, "PRAGMA journal_mode = WAL");
        await WorldSchema.ApplyAsync(connection, "sqlite");
        return OpenAsync;
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static async Task ExecuteAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}
