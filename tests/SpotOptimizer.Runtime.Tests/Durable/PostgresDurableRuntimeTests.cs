using SpotOptimizer.Testing;

namespace SpotOptimizer.Runtime.Tests.Durable;

public sealed class PostgresDurableRuntimeTests : DurableRuntimeTests
{
    private PostgresServer? _server;
    private string? _database;

    protected override async Task<Action<GrainRuntimeBuilder>> CreateDatabaseAsync()
    {
        _server = await PostgresServer.RequireAsync();
        _database = await _server.CreateDatabaseAsync();
        var connectionString = _database;
        return r => r.UsePostgresStorage(connectionString);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_server is not null && _database is not null) await _server.DropDatabaseAsync(_database);
    }
}
