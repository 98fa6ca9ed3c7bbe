using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using SpotOptimizer.Runtime.Storage;

namespace SpotOptimizer.Runtime.Tests.Storage;

/// <summary>What only the SQLite provider does: create its folder, switch the file to WAL.</summary>
public sealed class SqliteStorageTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), $"spotopt-sqlite-{Guid.NewGuid():N}");

    [SkippableFact]
    public async Task ApplyAsync_FileInMissingFolder_CreatesFileInWalMode()
    {
        var file = Path.Combine(root, "data", "nested", "spot.db");
        var connectionString = new SqliteConnectionStringBuilder { DataSource = file }.ConnectionString;
        await using var services = new ServiceCollection().AddSqliteStorage(connectionString).BuildServiceProvider();

        await services.GetRequiredService<IStorageSchema>().ApplyAsync(CancellationToken.None);

        Assert.True(File.Exists(file), $"{file} should exist");
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", (string?)await command.ExecuteScalarAsync());
    }

    [SkippableFact]
    public async Task WriteAsync_TwoSilosOnOneFile_SecondSeesFirstsWriteAndConflicts()
    {
        var connectionString = new SqliteConnectionStringBuilder { DataSource = Path.Combine(root, "spot.db") }.ConnectionString;
        await using var first = new ServiceCollection().AddSqliteStorage(connectionString).BuildServiceProvider();
        await using var second = new ServiceCollection().AddSqliteStorage(connectionString).BuildServiceProvider();
        await first.GetRequiredService<IStorageSchema>().ApplyAsync(CancellationToken.None);
        var key = new GrainStateKey("fleet", "prod", "state");
        var etag = await first.GetRequiredService<IGrainStateStore>().WriteAsync(key, """{"v":1}""", null, CancellationToken.None);
        var secondStore = second.GetRequiredService<IGrainStateStore>();

        var seen = await secondStore.ReadAsync(key, CancellationToken.None);
        await first.GetRequiredService<IGrainStateStore>().WriteAsync(key, """{"v":2}""", etag, CancellationToken.None);

        Assert.Equal(etag, seen?.ETag);
        await Assert.ThrowsAsync<InconsistentStateException>(
            () => secondStore.WriteAsync(key, """{"v":3}""", seen!.ETag, CancellationToken.None));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
