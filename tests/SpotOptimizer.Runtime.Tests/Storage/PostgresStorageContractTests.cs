using Npgsql;
using SpotOptimizer.Runtime.Storage;
using SpotOptimizer.Testing;

namespace SpotOptimizer.Runtime.Tests.Storage;

/// <summary>PostgreSQL: a fresh database on the test process's server for every test, dropped afterwards.</summary>
public sealed class PostgresStorageContractTests : StorageContractTests
{
    private readonly List<string> databases = [];
    private PostgresServer? server;

    protected override IReadOnlyList<long> ExpectedSchemaVersions => EmbeddedScriptVersions("postgres");

    protected override async Task<StorageTarget> CreateEmptyDatabaseAsync()
    {
        server = await PostgresServer.RequireAsync();
        var connectionString = await server.CreateDatabaseAsync(Ct);
        databases.Add(connectionString);
        return new StorageTarget(
            services => services.AddPostgresStorage(connectionString),
            ct => ReadSchemaVersionsAsync(new NpgsqlConnection(connectionString), ct));
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync(); // first, so the stores' connection pools are closed
        foreach (var database in databases)
        {
            await server!.DropDatabaseAsync(database);
        }
    }
}
