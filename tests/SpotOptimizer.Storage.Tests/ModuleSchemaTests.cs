using Dapper;
using Microsoft.Extensions.DependencyInjection;
using SpotOptimizer.Storage;
using SpotOptimizer.Testing;

namespace SpotOptimizer.Storage.Tests;

/// <summary>Product modules keep their tables in the one database, each with its own version table.</summary>
public sealed class ModuleSchemaTests : IAsyncLifetime
{
    private const string Prefix = "SpotOptimizer.Storage.Tests.ModuleSchema.";
    private readonly ScratchDatabases _scratch = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _scratch.DisposeAsync();

    [SkippableFact]
    public Task ApplySchema_Sqlite_TwiceAndConcurrently_ScriptsRunOnceInOrder() =>
        ApplyAndCheck(s => s.AddSqliteDatabase($"Data Source={Path.Combine(_scratch.Directory, "m.db")}"));

    [SkippableFact]
    public async Task ApplySchema_Postgres_TwiceAndConcurrently_ScriptsRunOnceInOrder()
    {
        var server = await PostgresServer.RequireAsync();
        var database = await server.CreateDatabaseAsync();
        await ApplyAndCheck(s => s.AddPostgresDatabase(database));
    }

    private async Task ApplyAndCheck(Action<IServiceCollection> storage)
    {
        var first = Database(storage);
        var second = Database(storage);
        await first.ApplySchemaAsync("widgets", typeof(ModuleSchemaTests).Assembly, Prefix, CancellationToken.None);
        await Task.WhenAll(
            first.ApplySchemaAsync("widgets", typeof(ModuleSchemaTests).Assembly, Prefix, CancellationToken.None),
            second.ApplySchemaAsync("widgets", typeof(ModuleSchemaTests).Assembly, Prefix, CancellationToken.None));

        await using var connection = await first.OpenConnectionAsync(CancellationToken.None);
        await using (var write = await first.BeginWriteTransactionAsync(connection, CancellationToken.None))
        {
            await connection.ExecuteAsync("INSERT INTO widgets (id, name, size) VALUES ('w1', 'gear', 3)", transaction: write);
            await write.CommitAsync();
        }

        Assert.Equal(3, await connection.ExecuteScalarAsync<int>("SELECT size FROM widgets WHERE id = 'w1'"));
        Assert.Equal([1L, 2L], (await connection.QueryAsync<long>("SELECT version FROM widgets_schema_version ORDER BY version")).ToList());
    }

    private IRelationalDatabase Database(Action<IServiceCollection> storage) => _scratch.Open(storage);
}
