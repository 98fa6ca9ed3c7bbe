using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using SpotOptimizer.Optimization.Lab;
using SpotOptimizer.Testing;

namespace SpotOptimizer.Api.Tests.Lab;

/// <summary>
/// Two instances of the real host (silo + API each) on one PostgreSQL: a model graduated through A is served by B
/// within seconds, without a restart, and a rollback through B brings A back to the built-in model.
/// </summary>
public sealed class TwoHostGraduationTests : IAsyncLifetime
{
    private static readonly TimeSpan WithinSeconds = TimeSpan.FromSeconds(10);

    private SpotOptimizerApp _a = null!;
    private SpotOptimizerApp _b = null!;
    private (PostgresServer Server, string Database)? _database;

    public async Task InitializeAsync()
    {
        var server = await PostgresServer.RequireAsync();
        var database = await server.CreateDatabaseAsync();
        _database = (server, database);
        // The super admin is configured on A only, so the two start-ups do not both create it; A's token works on B.
        _a = SpotOptimizerApp.With(new Dictionary<string, string?>(Settings(database).Concat(LabAdmin.Settings)));
        _b = SpotOptimizerApp.With(new Dictionary<string, string?>(Settings(database)) { ["Lab:Serving:RefreshInterval"] = "00:00:00.200" });
        _ = _a.Server;
        _ = _b.Server;
    }

    public async Task DisposeAsync()
    {
        await _b.DisposeAsync();
        await _a.DisposeAsync();
        if (_database is var (server, database)) await server.DropDatabaseAsync(database);
    }

    [SkippableFact]
    public async Task GraduateOnA_BServesTheNewModelWithinSeconds_RollbackOnB_AServesTheBuiltinAgain()
    {
        var onA = await LabAdmin.SignInAsync(_a);
        var onB = new LabAdmin(new TenantClient(Authorized(_b.CreateClient(), onA.Client.Token), onA.Client.Token, "", LabAdmin.Email));
        var modelId = await onA.UploadAsync(InterruptionOnnxModels.Logistic(), "two-hosts");
        var instanceB = (await LabAdmin.ServingAsync(onB.Client, BuiltinModel.Id)).GetProperty("serving").GetProperty("instance").GetString();

        var clock = Stopwatch.StartNew();
        await onA.GraduateAsync(modelId);
        var servedByB = (await LabAdmin.ServingAsync(onB.Client, modelId, WithinSeconds)).GetProperty("serving");
        Assert.True(clock.Elapsed < WithinSeconds, $"B took {clock.Elapsed} to serve the graduated model");
        Assert.Equal("1", servedByB.GetProperty("version").GetString());
        Assert.Equal("two-hosts@1", servedByB.GetProperty("recorded_as").GetString());
        Assert.Equal(instanceB, servedByB.GetProperty("instance").GetString());
        var servedByA = (await LabAdmin.ServingAsync(onA.Client, modelId, WithinSeconds)).GetProperty("serving");
        Assert.NotEqual(instanceB, servedByA.GetProperty("instance").GetString());

        clock.Restart();
        await onB.Client.PostJsonAsync("/api/lab/rollback", null);
        await LabAdmin.ServingAsync(onA.Client, BuiltinModel.Id, WithinSeconds);
        Assert.True(clock.Elapsed < WithinSeconds, $"A took {clock.Elapsed} to serve the built-in model again");
        Assert.Equal(BuiltinModel.Id, (await onA.ProductionAsync()).GetProperty("model").GetProperty("model_id").GetString());
    }

    private static HttpClient Authorized(HttpClient http, string token)
    {
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    private static Dictionary<string, string?> Settings(string database) => new()
    {
        ["Storage:Provider"] = "postgres",
        ["ConnectionStrings:Postgres"] = database,
        ["Auth:SigningKey"] = SpotOptimizerApp.TestSigningKey,
        ["Orleans:Endpoints:SiloPort"] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Orleans:Endpoints:GatewayPort"] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Orleans:Endpoints:AdvertisedIPAddress"] = "127.0.0.1",
    };

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
