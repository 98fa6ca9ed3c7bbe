using System.Net;
using System.Net.Sockets;
using SpotOptimizer.Silo.Storage;

namespace SpotOptimizer.Api.Tests;

public sealed class StorageConfigurationTests
{
    [Fact]
    public async Task Start_DefaultStorage_CreatesSqliteFileUnderDataDirectory()
    {
        await using var app = SpotOptimizerApp.Sqlite();
        Assert.False(Directory.Exists(app.DataDirectory));

        using var response = await app.CreateClient().GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(File.Exists(Path.Combine(app.DataDirectory, SiloStorage.SqliteFileName)));
    }

    [Fact]
    public async Task Start_UnknownProvider_FailsNamingTheSetting()
    {
        await using var app = SpotOptimizerApp.With(new Dictionary<string, string?> { [SiloStorage.ProviderKey] = "mongo" });

        var error = Assert.Throws<InvalidOperationException>(() => app.CreateClient());

        Assert.Contains("Storage:Provider is 'mongo'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_PostgresWithoutConnectionString_FailsNamingTheSetting()
    {
        await using var app = SpotOptimizerApp.With(new Dictionary<string, string?> { [SiloStorage.ProviderKey] = "postgres" });

        var error = Assert.Throws<InvalidOperationException>(() => app.CreateClient());

        Assert.Contains("ConnectionStrings:Postgres is empty", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_MalformedPostgresConnectionString_FailsWithoutEchoingIt()
    {
        await using var app = SpotOptimizerApp.Postgres("Host=db;Pasword=hunter2");

        var error = Assert.Throws<InvalidOperationException>(() => app.CreateClient());

        Assert.Contains("not a valid PostgreSQL connection string", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_DataDirectoryIsAFile_FailsNamingTheSetting()
    {
        using var temp = new TempDirectory();
        Directory.CreateDirectory(temp.Root);
        var file = temp.Child("not-a-folder");
        await File.WriteAllTextAsync(file, "");
        await using var app = SpotOptimizerApp.With(new Dictionary<string, string?> { [SiloStorage.DataDirectoryKey] = file });

        var error = Assert.Throws<InvalidOperationException>(() => app.CreateClient());

        Assert.Contains(SiloStorage.DataDirectoryKey, error.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// The runtime applies its schema while the host starts, so a silo whose database is down refuses to start
    /// (as an Orleans silo does) rather than serve a 503 forever; the orchestrator restarts it.
    /// </summary>
    [Fact]
    public async Task Start_PostgresPortClosed_FailsFast()
    {
        var port = ClosedLoopbackPort();
        await using var app = SpotOptimizerApp.Postgres($"Host=127.0.0.1;Port={port};Username=spotopt;Database=spotopt;Timeout=5");

        var error = Assert.ThrowsAny<Exception>(() => app.CreateClient());

        Assert.IsAssignableFrom<Npgsql.NpgsqlException>(error);
    }

    private static int ClosedLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port; // closed again when the listener is disposed
    }
}
