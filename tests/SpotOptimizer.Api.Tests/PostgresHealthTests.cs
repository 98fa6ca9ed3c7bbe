using System.Net;
using System.Net.Http.Json;
using SpotOptimizer.Api.Health;
using SpotOptimizer.Testing;

namespace SpotOptimizer.Api.Tests;

/// <summary>The production storage: a fresh database on the test process's throwaway PostgreSQL per test.</summary>
public sealed class PostgresHealthTests
{
    [SkippableFact]
    public async Task Health_Postgres_Returns200WithStatistics()
    {
        var server = await PostgresServer.RequireAsync();
        var database = await server.CreateDatabaseAsync();
        try
        {
            await using var app = SpotOptimizerApp.Postgres(database);

            using var response = await app.CreateClient().GetAsync("/health");

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var health = await response.Content.ReadFromJsonAsync<HealthResponse>(SpotOptimizer.Api.Http.ApiJson.Options);
            Assert.Equal("Healthy", health!.Status);
            Assert.Equal("postgres", health.Storage);
            Assert.True(health.Runtime!.Activations >= 1, "the platform grain answered the probe, so it is active");
            Assert.False(Directory.Exists(app.DataDirectory), "postgres must not create the SQLite data directory");
        }
        finally
        {
            await server.DropDatabaseAsync(database);
        }
    }

    [SkippableFact]
    public async Task Health_PostgresDatabaseDropped_Returns503()
    {
        var server = await PostgresServer.RequireAsync();
        var database = await server.CreateDatabaseAsync();
        // With its membership table dropped the silo cannot record that it leaves; a short stop keeps the test short.
        var app = await SpotOptimizerApp.CreateAsync(postgres: false, new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "postgres",
            ["ConnectionStrings:Postgres"] = database,
            ["Auth:SigningKey"] = SpotOptimizerApp.TestSigningKey,
            ["shutdownTimeoutSeconds"] = "5",
        });
        try
        {
            var client = app.CreateClient();
            using (var before = await client.GetAsync("/health")) Assert.Equal(HttpStatusCode.OK, before.StatusCode);

            await server.DropDatabaseAsync(database); // terminates the app's sessions; new ones find no database
            using var response = await client.GetAsync("/health");

            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            var health = await response.Content.ReadFromJsonAsync<HealthResponse>(SpotOptimizer.Api.Http.ApiJson.Options);
            Assert.Equal("Unhealthy", health!.Status);
            Assert.Contains(health.Checks, c => c is { Name: StorageHealthCheck.Name, Status: "Unhealthy" });
        }
        finally
        {
            await StopWithoutItsDatabaseAsync(app);
        }
    }

    /// <summary>
    /// The silo's graceful stop may give up on the dropped membership table (the host then reports a cancelled stop)
    /// or finish in time; either ends the test, a hang or any other error fails it.
    /// </summary>
    private static async Task StopWithoutItsDatabaseAsync(SpotOptimizerApp app)
    {
        var stop = app.DisposeAsync().AsTask();
        Assert.True(await Task.WhenAny(stop, Task.Delay(TimeSpan.FromSeconds(90))) == stop, "the host hung while stopping");
        Assert.True(stop.IsCompletedSuccessfully || stop.IsCanceled || stop.Exception?.InnerException is OperationCanceledException,
            $"the host's stop failed: {stop.Exception}");
    }
}
