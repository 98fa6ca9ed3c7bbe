using Npgsql;
using SpotOptimizer.Testing;

namespace SpotOptimizer.Storage.Tests;

/// <summary>The throwaway server must keep test classes apart and clean up after them.</summary>
public sealed class PostgresServerTests
{
    [SkippableFact]
    public async Task CreateDatabaseAsync_TwoCalls_ReturnSeparateUtf8Databases()
    {
        var server = await PostgresServer.RequireAsync();
        var first = await server.CreateDatabaseAsync();
        var second = await server.CreateDatabaseAsync();
        try
        {
            await ExecuteAsync(first, "CREATE TABLE only_here (id int)");

            Assert.NotEqual(first, second);
            Assert.Equal(1L, await ExecuteAsync(first, "SELECT count(*) FROM pg_tables WHERE tablename = 'only_here'"));
            Assert.Equal(0L, await ExecuteAsync(second, "SELECT count(*) FROM pg_tables WHERE tablename = 'only_here'"));
            Assert.Equal("UTF8", await ExecuteAsync(second, "SHOW server_encoding"));
        }
        finally
        {
            await server.DropDatabaseAsync(first);
            await server.DropDatabaseAsync(second);
        }
    }

    [SkippableFact]
    public async Task DropDatabaseAsync_DatabaseWithOpenSession_RemovesIt()
    {
        var server = await PostgresServer.RequireAsync();
        var database = await server.CreateDatabaseAsync();
        await ExecuteAsync(database, "SELECT 1"); // leaves a pooled session behind

        await server.DropDatabaseAsync(database);

        var name = new NpgsqlConnectionStringBuilder(database).Database;
        Assert.Equal(0L, await ExecuteAsync(server.AdminConnectionString, $"SELECT count(*) FROM pg_database WHERE datname = '{name}'"));
    }

    private static async Task<object?> ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }
}
