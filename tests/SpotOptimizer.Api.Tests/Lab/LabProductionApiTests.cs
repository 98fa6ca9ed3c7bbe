using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using SpotOptimizer.Api.Tests.Sweeps;
using SpotOptimizer.Cloud.Simulation;
using SpotOptimizer.Optimization.Lab;
using SpotOptimizer.Tenancy;
using static SpotOptimizer.Api.Tests.Optimization.OptimizationJourney;

namespace SpotOptimizer.Api.Tests.Lab;

/// <summary>
/// Graduation through the API on one instance: an uploaded model is promoted, this instance swaps to it within
/// seconds, the next optimization job records it, and one click rolls back; every answer held to the OpenAPI document.
/// </summary>
public abstract class LabProductionApiTests : IAsyncLifetime
{
    private SpotOptimizerApp _app = null!;
    private LabAdmin _admin = null!;
    private OpenApiContract _contract = null!;

    protected abstract bool Postgres { get; }

    public async Task InitializeAsync()
    {
        _app = await SpotOptimizerApp.CreateAsync(Postgres, new Dictionary<string, string?>(FastCloud.Concat(LabAdmin.Settings)));
        _admin = await LabAdmin.SignInAsync(_app);
        using var document = JsonDocument.Parse(await _admin.Client.Http.GetStringAsync("/openapi/v1.json"));
        _contract = new OpenApiContract(document.RootElement.Clone());
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [SkippableFact]
    public async Task Graduate_UploadedModel_ServedHereAndRecordedByTheNextJob_RollbackBringsTheBuiltinBack()
    {
        var (tenant, clusterId) = await ConnectedTenantAsync(_app, SimulatedWorld.DemoAccountId, $"ops-{Guid.NewGuid():N}@lab.io");
        var modelId = await _admin.UploadAsync(InterruptionOnnxModels.Logistic(), "pool-logistic");

        var graduated = await CheckedAsync("post", "/api/lab/graduate", new { model_id = modelId });
        Assert.Equal(modelId, graduated.GetProperty("model").GetProperty("model_id").GetString());
        Assert.StartsWith("user:", graduated.GetProperty("model").GetProperty("promoted_by").GetString());
        Assert.Equal(BuiltinModel.Id, graduated.GetProperty("previous").GetProperty("model_id").GetString());
        Assert.Equal("graduated", graduated.GetProperty("history")[0].GetProperty("action").GetString());
        var serving = (await LabAdmin.ServingAsync(_admin.Client, modelId)).GetProperty("serving");
        Assert.Equal("pool-logistic@1", serving.GetProperty("recorded_as").GetString());
        Assert.Equal(JsonValueKind.Null, serving.GetProperty("last_failure").ValueKind);
        Assert.Equal("production", (await _admin.StatusesAsync())[modelId]);
        Assert.Equal("previous", (await _admin.StatusesAsync())[BuiltinModel.Id]);
        var job = await OptimizeAsync(tenant, clusterId);
        Assert.Equal("pool-logistic@1", job.GetProperty("plan").GetProperty("risk_model_version").GetString());

        var rolledBack = await CheckedAsync("post", "/api/lab/rollback");
        Assert.Equal(BuiltinModel.Id, rolledBack.GetProperty("model").GetProperty("model_id").GetString());
        Assert.Equal(JsonValueKind.Null, rolledBack.GetProperty("previous").ValueKind);
        Assert.Equal(["rolled_back", "graduated"], rolledBack.GetProperty("history").EnumerateArray().Select(e => e.GetProperty("action").GetString()));
        await LabAdmin.ServingAsync(_admin.Client, BuiltinModel.Id);
        Assert.Equal("candidate", (await _admin.StatusesAsync())[modelId]);
        var again = await OptimizeAsync(tenant, clusterId);
        Assert.Equal(BuiltinModel.Version, again.GetProperty("plan").GetProperty("risk_model_version").GetString());
        Assert.Contains(SpotOptimizer.Api.Apis.LabProductionApi.GraduatedAction, await _admin.AuditActionsAsync());
        Assert.Contains(SpotOptimizer.Api.Apis.LabProductionApi.RolledBackAction, await _admin.AuditActionsAsync());

        using var nothing = await _admin.Client.Http.PostAsync("/api/lab/rollback", null);
        await ProblemAssert.IsAsync(nothing, HttpStatusCode.Conflict, "nothing_to_roll_back");
        await CheckedAsync("get", "/api/lab/production");
    }

    /// <summary>Bytes that no longer match their registered hash (a damaged row): refused before the pointer moves, so no silo is sent to load them.</summary>
    [SkippableFact]
    public async Task Graduate_ModelWhoseStoredBytesChanged_422ModelUnloadable_ProductionUnchanged()
    {
        var modelId = await _admin.UploadAsync(InterruptionOnnxModels.Logistic(), "damaged");
        await using (var connection = await _app.Services.GetRequiredService<TenancyDatabase>().OpenAsync(CancellationToken.None))
        await using (var damage = connection.CreateCommand())
        {
            damage.CommandText = "UPDATE ml_models SET content = @content WHERE id = @id";
            Parameter(damage, "@content", InterruptionOnnxModels.TenTimesTooSure());
            Parameter(damage, "@id", modelId);
            Assert.Equal(1, await damage.ExecuteNonQueryAsync());
        }

        using var response = await _admin.Client.Http.PostAsJsonAsync("/api/lab/graduate", new { model_id = modelId });
        var problem = await ProblemAssert.IsAsync(response, HttpStatusCode.UnprocessableEntity, "model_unloadable");
        Assert.Contains("hash", problem.GetProperty("detail").GetString());
        Assert.Equal(BuiltinModel.Id, (await _admin.ProductionAsync()).GetProperty("model").GetProperty("model_id").GetString());
    }

    [SkippableFact]
    public async Task Graduate_TheProductionModel_409ModelAlreadyProduction()
    {
        using var response = await _admin.Client.Http.PostAsJsonAsync("/api/lab/graduate", new { model_id = BuiltinModel.Id });
        await ProblemAssert.IsAsync(response, HttpStatusCode.Conflict, "model_already_production");
    }

    [SkippableFact]
    public async Task Graduate_UnknownModel_404ModelNotFound_ProductionUnchanged()
    {
        using var response = await _admin.Client.Http.PostAsJsonAsync("/api/lab/graduate", new { model_id = Guid.NewGuid() });
        await ProblemAssert.IsAsync(response, HttpStatusCode.NotFound, "model_not_found");
        Assert.Empty((await _admin.ProductionAsync()).GetProperty("history").EnumerateArray());
    }

    [SkippableTheory]
    [InlineData("{}", "validation_failed")]
    [InlineData("""{"model_id":""}""", "validation_failed")]
    [InlineData("""{"model_id":"pool-logistic"}""", "validation_failed")]
    [InlineData("""{"model_id":42}""", "invalid_json")]
    [InlineData("""{"model_id":""", "invalid_json")]
    public async Task Graduate_BadBody_400WithItsCode(string body, string code)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await _admin.Client.Http.PostAsync("/api/lab/graduate", content);
        await ProblemAssert.IsAsync(response, HttpStatusCode.BadRequest, code);
    }

    [SkippableFact]
    public async Task LabRoutes_ClientToken403_NoToken401()
    {
        var client = await TenantClient.SignUpAsync(_app);
        using var anonymous = _app.CreateClient();
        foreach (var (method, url) in new[] { ("GET", "/api/lab/production"), ("POST", "/api/lab/graduate"), ("POST", "/api/lab/rollback") })
        {
            using var forbidden = await client.Http.SendAsync(Request(method, url));
            Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
            using var unauthorized = await anonymous.SendAsync(Request(method, url));
            Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.StatusCode);
        }

        Assert.Empty((await _admin.ProductionAsync()).GetProperty("history").EnumerateArray());
    }

    private static void Parameter(System.Data.Common.DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        (parameter.ParameterName, parameter.Value) = (name, value);
        command.Parameters.Add(parameter);
    }

    private static HttpRequestMessage Request(string method, string url) =>
        new(new HttpMethod(method), url) { Content = method == "GET" ? null : JsonContent.Create(new { model_id = BuiltinModel.Id }) };

    /// <summary>Calls the route as the admin, expects 200, and holds the answer to what the OpenAPI document declares.</summary>
    private async Task<JsonElement> CheckedAsync(string method, string url, object? body = null)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), url) { Content = body is null ? null : JsonContent.Create(body) };
        using var response = await _admin.Client.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{method} {url}: {(int)response.StatusCode} {text}");
        Assert.Empty(_contract.Check(method, url, 200, response.Content.Headers.ContentType?.MediaType, text));
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}

public sealed class SqliteLabProductionApiTests : LabProductionApiTests
{
    protected override bool Postgres => false;
}

public sealed class PostgresLabProductionApiTests : LabProductionApiTests
{
    protected override bool Postgres => true;
}
