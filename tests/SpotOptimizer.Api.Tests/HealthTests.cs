using System.Net;
using System.Net.Http.Json;
using Microsoft.Data.Sqlite;
using SpotOptimizer.Api.Health;

namespace SpotOptimizer.Api.Tests;

public sealed class HealthTests
{
    [Fact]
    public async Task Alive_AppStarted_Returns200()
    {
        await using var app = SpotOptimizerApp.Sqlite();

        using var response = await app.CreateClient().GetAsync("/alive");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Health_Sqlite_Returns200WithStatistics()
    {
        await using var app = SpotOptimizerApp.Sqlite();

        using var response = await app.CreateClient().GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var health = await response.Content.ReadFromJsonAsync<HealthResponse>(SpotOptimizer.Api.Http.ApiJson.Options);
        Assert.NotNull(health);
        Assert.Equal("Healthy", health.Status);
        Assert.Equal("sqlite", health.Storage);
        Assert.True(health.Runtime!.Activations >= 1, "the platform grain answered the probe, so it is active");
        Assert.Equal(1, health.Runtime.ActiveSilos);
        Assert.Contains(health.Checks, c => c is { Name: ClusterHealthCheck.Name, Status: "Healthy" });
        Assert.Contains(health.Checks, c => c is { Name: StorageHealthCheck.Name, Status: "Healthy" });
    }

    [Fact]
    public async Task Health_SqliteDataDirectoryRemoved_Returns503()
    {
        await using var app = SpotOptimizerApp.Sqlite();
        var client = app.CreateClient();
        using (var before = await client.GetAsync("/health")) Assert.Equal(HttpStatusCode.OK, before.StatusCode);

        Directory.Delete(app.DataDirectory, recursive: true);
        // Pooled connections keep the deleted file open; without them SQLite cannot open a file in a missing folder.
        SqliteConnection.ClearAllPools();
        using var response = await client.GetAsync("/health");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var health = await response.Content.ReadFromJsonAsync<HealthResponse>(SpotOptimizer.Api.Http.ApiJson.Options);
        Assert.Equal("Unhealthy", health!.Status);
        Assert.Contains(health.Checks, c => c is { Name: StorageHealthCheck.Name, Status: "Unhealthy" });
        Assert.Contains(health.Checks, c => c is { Name: "self", Status: "Healthy" });
    }
}
