using System.Net;
using System.Text.Json;
using SpotOptimizer.Testing;

namespace SpotOptimizer.Api.Tests.Lab;

/// <summary>A super admin working the Lab over HTTP: uploads, graduations and the production view, shared by the Lab's tests.</summary>
public sealed class LabAdmin(TenantClient admin)
{
    public const string Email = "lab-keeper@spotoptimizer.io";
    public const string Password = "Model-Keeper-2026!";

    public static IEnumerable<KeyValuePair<string, string?>> Settings =>
    [
        new("Auth:SuperAdminEmail", Email),
        new("Auth:SuperAdminPassword", Password),
        // Room for a loaded 2-core machine to validate in the sandbox.
        new("Lab:Sandbox:WallClock", "00:00:20"),
        new("Lab:Serving:RefreshInterval", "00:00:00.200"),
    ];

    public TenantClient Client => admin;

    public static async Task<LabAdmin> SignInAsync(SpotOptimizerApp app) => new(await TenantClient.SignInAsync(app, Email, Password));

    /// <summary>Uploads a model (validated in the real sandbox) and returns its id.</summary>
    public async Task<string> UploadAsync(byte[] model, string name)
    {
        using var response = await LabModelsApiTests.UploadAsync(admin.Http, model, $"{name}.onnx", name);
        return (await TenantClient.ExpectAsync(response, HttpStatusCode.Created)).GetProperty("id").GetString()!;
    }

    public Task<JsonElement> GraduateAsync(string modelId) => admin.PostJsonAsync("/api/lab/graduate", new { model_id = modelId });

    public Task<JsonElement> ProductionAsync() => admin.GetJsonAsync("/api/lab/production");

    /// <summary>Waits until the instance behind <paramref name="client"/> serves <paramref name="modelId"/>, and returns its production view.</summary>
    public static Task<JsonElement> ServingAsync(TenantClient client, string modelId, TimeSpan? within = null) =>
        Eventually.Wait(
            () => client.GetJsonAsync("/api/lab/production"),
            view => view.GetProperty("serving").GetProperty("model_id").GetString() == modelId,
            within ?? TimeSpan.FromSeconds(15),
            $"the instance to serve model {modelId}");

    /// <summary>Each listed model's status, by id.</summary>
    public async Task<Dictionary<string, string>> StatusesAsync() =>
        (await admin.GetJsonAsync("/api/admin/models")).GetProperty("models").EnumerateArray()
            .ToDictionary(m => m.GetProperty("id").GetString()!, m => m.GetProperty("status").GetString()!);

    public async Task<List<string>> AuditActionsAsync() =>
        [.. (await admin.GetJsonAsync("/api/audit")).GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("action").GetString()!)];
}
