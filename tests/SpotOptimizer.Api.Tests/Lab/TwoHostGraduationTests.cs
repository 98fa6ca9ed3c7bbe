using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using SpotOptimizer.Optimization.Lab;
using SpotOptimizer.Testing;
using Xunit.Abstractions;

namespace SpotOptimizer.Api.Tests.Lab;

/// <summary>
/// Two instances of the real host (silo + API each) on one PostgreSQL: a model graduated through A is served by B
/// within seconds, without a restart, and a rollback through B brings A back to the built-in model.
/// </summary>
public sealed class TwoHostGraduationTests(ITestOutputHelper output) : TwoHostTest
{
    private static readonly TimeSpan WithinSeconds = TimeSpan.FromSeconds(10);

    // The super admin is configured on A only, so the two start-ups do not both create it; A's token works on B.
    protected override IReadOnlyDictionary<string, string?> SettingsOfA => new Dictionary<string, string?>(LabAdmin.Settings);

    protected override IReadOnlyDictionary<string, string?> SettingsOfB => new Dictionary<string, string?> { ["Lab:Serving:RefreshInterval"] = "00:00:00.200" };

    [SkippableFact]
    public async Task GraduateOnA_BServesTheNewModelWithinSeconds_RollbackOnB_AServesTheBuiltinAgain()
    {
        var onA = await LabAdmin.SignInAsync(A);
        var onB = new LabAdmin(new TenantClient(Authorized(B.CreateClient(), onA.Client.Token), onA.Client.Token, "", LabAdmin.Email));
        var modelId = await onA.UploadAsync(InterruptionOnnxModels.Logistic(), "two-hosts");
        var instanceB = (await LabAdmin.ServingAsync(onB.Client, BuiltinModel.Id)).GetProperty("serving").GetProperty("instance").GetString();

        var clock = Stopwatch.StartNew();
        await onA.GraduateAsync(modelId);
        var servedByB = (await LabAdmin.ServingAsync(onB.Client, modelId, WithinSeconds)).GetProperty("serving");
        Assert.True(clock.Elapsed < WithinSeconds, $"B took {clock.Elapsed} to serve the graduated model");
        output.WriteLine($"B served the graduated model {clock.Elapsed.TotalSeconds:0.00} s after the graduate call began (B polls every 0.2 s)");
        Assert.Equal("1", servedByB.GetProperty("version").GetString());
        Assert.Equal("two-hosts@1", servedByB.GetProperty("recorded_as").GetString());
        Assert.Equal(instanceB, servedByB.GetProperty("instance").GetString());
        var servedByA = (await LabAdmin.ServingAsync(onA.Client, modelId, WithinSeconds)).GetProperty("serving");
        Assert.NotEqual(instanceB, servedByA.GetProperty("instance").GetString());

        clock.Restart();
        await onB.Client.PostJsonAsync("/api/lab/rollback", null);
        await LabAdmin.ServingAsync(onA.Client, BuiltinModel.Id, WithinSeconds);
        Assert.True(clock.Elapsed < WithinSeconds, $"A took {clock.Elapsed} to serve the built-in model again");
        output.WriteLine($"A served the built-in model again {clock.Elapsed.TotalSeconds:0.00} s after the rollback call began (A polls every 1 s)");
        Assert.Equal(BuiltinModel.Id, (await onA.ProductionAsync()).GetProperty("model").GetProperty("model_id").GetString());
    }

    private static HttpClient Authorized(HttpClient http, string token)
    {
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }
}
