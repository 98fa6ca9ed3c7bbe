using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using SpotOptimizer.Api.Tests.Sweeps;
using SpotOptimizer.Optimization.Lab;
using SpotOptimizer.Testing;

namespace SpotOptimizer.Api.Tests.Lab;

/// <summary>
/// The Lab's model registry through the API, with real model files run in the real sandbox process. The limits are
/// small: 1 MiB, and a 10 s wall clock (room for a loaded 2-core machine, short enough for the never-finishing model).
/// </summary>
public abstract class LabModelsApiTests : IAsyncLifetime
{
    private const string AdminEmail = "lab@spotoptimizer.io";
    private const string AdminPassword = "Model-Keeper-2026!";
    private const long MaxModelBytes = 1024 * 1024;

    private SpotOptimizerApp _app = null!;
    private TenantClient _client = null!;
    private HttpClient _admin = null!;

    protected abstract bool Postgres { get; }

    public async Task InitializeAsync()
    {
        _app = await SpotOptimizerApp.CreateAsync(Postgres, new Dictionary<string, string?>
        {
            ["Auth:SuperAdminEmail"] = AdminEmail,
            ["Auth:SuperAdminPassword"] = AdminPassword,
            ["Lab:Sandbox:MaxModelBytes"] = MaxModelBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Lab:Sandbox:WallClock"] = "00:00:10",
        });
        _client = await TenantClient.SignUpAsync(_app);
        _admin = _app.CreateClient();
        using var login = await _admin.PostAsJsonAsync("/api/auth/token", new { email = AdminEmail, password = AdminPassword });
        var token = (await TenantClient.ExpectAsync(login, HttpStatusCode.OK)).GetProperty("jwt_token").GetString()!;
        _admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [SkippableFact]
    public async Task Upload_ValidOnnxModel_RegisteredListedAndAudited()
    {
        var model = InterruptionOnnxModels.Logistic();
        using var response = await UploadAsync(_admin, model, "logistic.onnx", name: "pool-logistic");
        var registered = await TenantClient.ExpectAsync(response, HttpStatusCode.Created);
        Assert.Equal("pool-logistic", registered.GetProperty("name").GetString());
        Assert.Equal("1", registered.GetProperty("version").GetString());
        Assert.Equal(ModelFormats.Onnx, registered.GetProperty("format").GetString());
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(model)), registered.GetProperty("sha256").GetString());
        Assert.Equal(model.Length, registered.GetProperty("size_bytes").GetInt64());
        var report = registered.GetProperty("validation").GetProperty("report");
        Assert.Equal(ModelTrialBatch.Size, report.GetProperty("rows").GetInt32());
        Assert.InRange(report.GetProperty("mean_probability").GetDouble(), 0, 1);

        Assert.Equal("candidate", registered.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, registered.GetProperty("training").ValueKind);
        var listed = Assert.Single(await UploadedAsync());
        Assert.Equal(registered.GetProperty("id").GetString(), listed.GetProperty("id").GetString());
        Assert.True(listed.GetProperty("validation").GetProperty("wall_ms").GetDouble() > 0);
        Assert.Contains("lab.model_registered", await AuditActionsAsync());
    }

    [SkippableFact]
    public async Task Upload_ValidMlNetZip_Registered()
    {
        using var response = await UploadAsync(_admin, InterruptionMlNetModels.Logistic(), "logistic.zip");
        var registered = await TenantClient.ExpectAsync(response, HttpStatusCode.Created);
        Assert.Equal(ModelFormats.MlNetZip, registered.GetProperty("format").GetString());
        Assert.Equal("logistic", registered.GetProperty("name").GetString());
    }

    [SkippableTheory]
    [InlineData("fast-tree")]
    [InlineData("light-gbm")]
    public async Task Upload_TreeEnsembleMlNetZip_ValidatedRegisteredAndServedInProduction(string trainer)
    {
        var zip = trainer == "fast-tree" ? InterruptionMlNetModels.FastTree() : InterruptionMlNetModels.LightGbm();
        using var response = await UploadAsync(_admin, zip, $"{trainer}.zip");
        var registered = await TenantClient.ExpectAsync(response, HttpStatusCode.Created);
        Assert.Equal(ModelFormats.MlNetZip, registered.GetProperty("format").GetString());
        Assert.InRange(registered.GetProperty("validation").GetProperty("report").GetProperty("mean_probability").GetDouble(), 0, 1);

        // Loaded in the platform too, not only in the sandbox: graduation loads it and feeds it the test vector first.
        using var graduated = await _admin.PostAsJsonAsync("/api/lab/graduate", new { model_id = registered.GetProperty("id").GetString() });
        var production = await TenantClient.ExpectAsync(graduated, HttpStatusCode.OK);
        Assert.Equal($"{trainer}@1", production.GetProperty("model").GetProperty("name").GetString() + "@" + production.GetProperty("model").GetProperty("version").GetString());
    }

    [SkippableFact]
    public async Task Upload_SameNameTwice_NextVersion()
    {
        using var first = await UploadAsync(_admin, InterruptionOnnxModels.Logistic(), "m.onnx", name: "pool");
        await TenantClient.ExpectAsync(first, HttpStatusCode.Created);
        using var second = await UploadAsync(_admin, InterruptionOnnxModels.Logistic(), "m.onnx", name: "pool");
        Assert.Equal("2", (await TenantClient.ExpectAsync(second, HttpStatusCode.Created)).GetProperty("version").GetString());
        using var taken = await UploadAsync(_admin, InterruptionOnnxModels.Logistic(), "m.onnx", name: "pool", version: "2");
        await ProblemAssert.IsAsync(taken, HttpStatusCode.Conflict, "model_version_exists");
    }

    [SkippableTheory]
    [InlineData("malformed", ModelChecks.Unreadable)]
    [InlineData("ten_times_too_sure", ModelChecks.ContractViolation)]
    [InlineData("throws_while_scoring", ModelChecks.Crashed)]
    [InlineData("never_finishes", ModelChecks.Timeout)]
    public async Task Upload_BadModel_422NamingTheCheck_NothingStored(string kind, string check)
    {
        var model = kind switch
        {
            "malformed" => "this is not an ONNX model"u8.ToArray(),
            "ten_times_too_sure" => InterruptionOnnxModels.TenTimesTooSure(),
            "throws_while_scoring" => InterruptionOnnxModels.ThrowsWhileScoring(),
            _ => InterruptionOnnxModels.NeverFinishes(),
        };
        using var response = await UploadAsync(_admin, model, $"{kind}.onnx");
        var problem = await ProblemAssert.IsAsync(response, HttpStatusCode.UnprocessableEntity, check);
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()));
        Assert.Empty(await UploadedAsync());
        Assert.Contains("lab.model_rejected", await AuditActionsAsync());
    }

    [SkippableFact]
    public async Task Upload_ContractViolation_NamesTheRowAndTheRule()
    {
        using var response = await UploadAsync(_admin, InterruptionOnnxModels.TenTimesTooSure(), "loud.onnx");
        var problem = await ProblemAssert.IsAsync(response, HttpStatusCode.UnprocessableEntity, ModelChecks.ContractViolation);
        Assert.Contains("interruption_probability", problem.GetProperty("detail").GetString());
    }

    [SkippableFact]
    public async Task Upload_Oversized_413ModelTooLarge_NothingStored()
    {
        var model = new byte[MaxModelBytes + 1];
        using var response = await UploadAsync(_admin, model, "huge.onnx");
        await ProblemAssert.IsAsync(response, HttpStatusCode.RequestEntityTooLarge, ModelChecks.TooLarge);
        Assert.Empty(await UploadedAsync());
    }

    [SkippableFact]
    public async Task Upload_NoFile_400()
    {
        using var form = new MultipartFormDataContent { { new StringContent("x"), "name" } };
        using var response = await _admin.PostAsync("/api/admin/models/upload", form);
        await ProblemAssert.IsAsync(response, HttpStatusCode.BadRequest, "validation_failed");
    }

    [SkippableFact]
    public async Task Models_ClientToken_403() 
    {
        using var upload = await UploadAsync(_client.Http, InterruptionOnnxModels.Logistic(), "m.onnx");
        Assert.Equal(HttpStatusCode.Forbidden, upload.StatusCode);
        using var list = await _client.Http.GetAsync("/api/admin/models");
        Assert.Equal(HttpStatusCode.Forbidden, list.StatusCode);
        Assert.Empty(await UploadedAsync());
    }

    [SkippableFact]
    public async Task Models_NoToken_401()
    {
        using var anonymous = _app.CreateClient();
        using var upload = await UploadAsync(anonymous, InterruptionOnnxModels.Logistic(), "m.onnx");
        Assert.Equal(HttpStatusCode.Unauthorized, upload.StatusCode);
        using var list = await anonymous.GetAsync("/api/admin/models");
        Assert.Equal(HttpStatusCode.Unauthorized, list.StatusCode);
    }

    [SkippableFact]
    public async Task List_BuiltinModelFirst_WithVersionTrainingWindowAndHeldOutScores_Production()
    {
        var builtin = (await ListAsync()).EnumerateArray().First();
        var artifact = BuiltinModel.Artifact;
        Assert.Equal("builtin", builtin.GetProperty("id").GetString());
        Assert.Equal(artifact.Version, builtin.GetProperty("version").GetString());
        Assert.Equal("production", builtin.GetProperty("status").GetString());
        Assert.Equal(BuiltinModel.Sha256, builtin.GetProperty("sha256").GetString());
        Assert.Equal(artifact.Training.From, builtin.GetProperty("training").GetProperty("from").GetDateTimeOffset());
        Assert.Equal(artifact.Training.To, builtin.GetProperty("training").GetProperty("to").GetDateTimeOffset());
        Assert.Equal(artifact.Evaluation!.Auc, builtin.GetProperty("validation").GetProperty("evaluation").GetProperty("auc").GetDouble(), 9);
        Assert.Equal(JsonValueKind.Null, builtin.GetProperty("uploaded_by").ValueKind);
    }

    [SkippableFact]
    public async Task Upload_TrainingWindow_StoredAndListed()
    {
        using var response = await UploadAsync(_admin, InterruptionOnnxModels.Logistic(), "m.onnx", name: "windowed",
            training: ("2026-01-01", "2026-03-31T23:00:00Z"));
        var registered = await TenantClient.ExpectAsync(response, HttpStatusCode.Created);
        Assert.Equal(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture), registered.GetProperty("training").GetProperty("from").GetDateTimeOffset());
        var listed = Assert.Single(await UploadedAsync());
        Assert.Equal(DateTimeOffset.Parse("2026-03-31T23:00:00Z", System.Globalization.CultureInfo.InvariantCulture), listed.GetProperty("training").GetProperty("to").GetDateTimeOffset());
    }

    [SkippableTheory]
    [InlineData("March 2026", "2026-03-31", "training_from")]
    [InlineData("2026-03-01", "2026-02-01", "training_to")]
    [InlineData("2026-03-01", "2999-01-01", "training_to")]
    public async Task Upload_BadTrainingWindow_400NamingTheField_NothingStored(string from, string to, string field)
    {
        using var response = await UploadAsync(_admin, InterruptionOnnxModels.Logistic(), "m.onnx", training: (from, to));
        var problem = await ProblemAssert.IsAsync(response, HttpStatusCode.BadRequest, "validation_failed");
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        Assert.Empty(await UploadedAsync());
    }

    internal static async Task<HttpResponseMessage> UploadAsync(
        HttpClient http, byte[] model, string fileName, string? name = null, string? version = null, (string From, string To)? training = null)
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(model);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "file", fileName);
        if (name is not null) form.Add(new StringContent(name), "name");
        if (version is not null) form.Add(new StringContent(version), "version");
        if (training is var (from, to))
        {
            form.Add(new StringContent(from), "training_from");
            form.Add(new StringContent(to), "training_to");
        }

        return await http.PostAsync("/api/admin/models/upload", form);
    }

    private async Task<JsonElement> ListAsync()
    {
        using var response = await _admin.GetAsync("/api/admin/models");
        return (await TenantClient.ExpectAsync(response, HttpStatusCode.OK)).GetProperty("models");
    }

    /// <summary>The registry's uploads: every listing starts with the built-in model.</summary>
    private async Task<List<JsonElement>> UploadedAsync() => [.. (await ListAsync()).EnumerateArray().Where(m => m.GetProperty("id").GetString() != BuiltinModel.Id)];

    private async Task<List<string>> AuditActionsAsync()
    {
        using var response = await _admin.GetAsync("/api/audit");
        var body = await TenantClient.ExpectAsync(response, HttpStatusCode.OK);
        return [.. body.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("action").GetString()!)];
    }
}

public sealed class SqliteLabModelsApiTests : LabModelsApiTests
{
    protected override bool Postgres => false;
}

public sealed class PostgresLabModelsApiTests : LabModelsApiTests
{
    protected override bool Postgres => true;
}
