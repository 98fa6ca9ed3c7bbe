using System.Data.Common;
using Npgsql;
using SpotOptimizer.Testing;

namespace SpotOptimizer.Cloud.Tests.Simulation.WorldStore;

/// <summary>The store on a fresh PostgreSQL database per test; skipped where no server is available (never on CI).</summary>
public sealed class PostgresWorldStoreTests : RelationalWorldStoreTests, IAsyncLifetime
{
    private readonly List<string> _databases = [];

    protected override async Task<Func<CancellationToken, Task<DbConnection>>> CreateDatabaseAsync()
    {
        var server = await PostgresServer.RequireAsync();
        var connectionString = await server.CreateDatabaseAsync();
        _databases.Add(connectionString);

        async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
        {
            var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(cancellationToken);
            return connection;
        }

        await using var connection = await OpenAsync(CancellationToken.None);
        await WorldSchema.ApplyAsync(connection, "postgres");
        return OpenAsync;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var database in _databases) await (await PostgresServer.GetSharedAsync()).DropDatabaseAsync(database);
    }
}
