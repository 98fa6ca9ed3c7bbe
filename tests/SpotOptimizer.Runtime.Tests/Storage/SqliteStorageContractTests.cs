using Microsoft.Data.Sqlite;
using SpotOptimizer.Runtime.Storage;

namespace SpotOptimizer.Runtime.Tests.Storage;

/// <summary>SQLite on a temp file in a folder that does not exist yet (the provider must create it).</summary>
public sealed class SqliteStorageContractTests : StorageContractTests
{
    private readonly string root = Path.Combine(Path.GetTempPath(), $"spotopt-sqlite-{Guid.NewGuid():N}");

    protected override IReadOnlyList<long> ExpectedSchemaVersions => EmbeddedScriptVersions("sqlite");

    protected override Task<StorageTarget> CreateEmptyDatabaseAsync()
    {
        var file = Path.Combine(root, Guid.NewGuid().ToString("N"), "spot.db");
        var connectionString = new SqliteConnectionStringBuilder { DataSource = file }.ConnectionString;
        return Task.FromResult(new StorageTarget(
            services => services.AddSqliteStorage(connectionString),
            ct => ReadSchemaVersionsAsync(new SqliteConnection(connectionString), ct)));
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        SqliteConnection.ClearAllPools(); // pooled handles keep the files open
        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
