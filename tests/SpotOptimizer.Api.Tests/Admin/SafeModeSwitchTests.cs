using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using SpotOptimizer.Api.Tests.Sweeps;
using SpotOptimizer.Cloud;
using SpotOptimizer.Cloud.Simulation;
using SpotOptimizer.Grains;
using SpotOptimizer.Testing;
using static SpotOptimizer.Api.Tests.Optimization.OptimizationJourney;

namespace SpotOptimizer.Api.Tests.Admin;

/// <summary>PATCH /api/admin/safe-mode: super admins only, audited, and it decides whether the next job acts.</summary>
public abstract class SafeModeSwitchTests(bool postgres)
{
    private const string AdminEmail = "safety-officer@spotoptimizer.io";
    private const string AdminPassword = "Platform-Keeper-2026!";

    private static readonly (string, string?)[] AdminSettings =
        [("Auth:SuperAdminEmail", AdminEmail), ("Auth:SuperAdminPassword", AdminPassword), ("Safety:RefreshInterval", "00:00:00.200")];

    [SkippableFact]
    public async Task SwitchOn_NextJobIsADryRun_AuditedWithReason_SwitchOff_JobsActAgain()
    {
        await using var app = await SpotOptimizerApp.CreateAsync(postgres, Settings(AdminSettings));
        var admin = await AdminAsync(app);
        var (tenant, clusterId) = await ConnectedTenantAsync(app, SimulatedWorld.DemoAccountId, $"ops-{Guid.NewGuid():N}@safe.io");
        var safeMode = app.Services.GetRequiredService<SafeMode>();

        var on = await PatchAsync(admin, new { enabled = true, reason = "incident 42: AWS API errors" }, HttpStatusCode.OK);
        Assert.True(on.GetProperty("enabled").GetBoolean());
        Assert.Equal("incident 42: AWS API errors", on.GetProperty("reason").GetString());
        await Eventually.Wait(() => safeMode.IsOn, v => v, TimeSpan.FromSeconds(10), "the silo to read the switch");

        var dry = await OptimizeAsync(tenant, clusterId);
        Assert.True(dry.GetProperty("dry_run").GetBoolean());
        Assert.DoesNotContain(SimulatedCloudOf(app).Calls, c => c.Operation == CloudActions.RunInstances && !c.Arguments.Contains("dryRun=True", StringComparison.Ordinal));

        var audit = await TenantClient.ExpectAsync(await admin.GetAsync("/api/audit?limit=20"), HttpStatusCode.OK);
        Assert.Contains("platform.safe_mode_changed", audit.ToString(), StringComparison.Ordinal);
        Assert.Contains("incident 42", audit.ToString(), StringComparison.Ordinal);

        var off = await PatchAsync(admin, new { enabled = false }, HttpStatusCode.OK);
        Assert.False(off.GetProperty("enabled").GetBoolean());
        await Eventually.Wait(() => safeMode.IsOn, v => !v, TimeSpan.FromSeconds(10), "the silo to read the switch");
        var real = await OptimizeAsync(tenant, clusterId);
        Assert.False(real.GetProperty("dry_run").GetBoolean());
        Assert.Contains(SimulatedCloudOf(app).Calls, c => c.Operation == CloudActions.RunInstances && !c.Arguments.Contains("dryRun=True", StringComparison.Ordinal));
    }

    [SkippableFact]
    public async Task Switch_ClientGets403_AnonymousGets401_BadBody400_ConfiguredFloorCannotBeLowered()
    {
        await using var app = await SpotOptimizerApp.CreateAsync(postgres, Settings([.. AdminSettings, ("Safety:SafeMode", "true")]));
        var admin = await AdminAsync(app);
        var client = await TenantClient.SignUpAsync(app);
        using var anonymous = app.CreateClient();

        using (var forbidden = await client.Http.PatchAsJsonAsync("/api/admin/safe-mode", new { enabled = true })) Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        using (var forbidden = await client.Http.GetAsync("/api/admin/safe-mode")) Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        using (var unauthorized = await anonymous.PatchAsJsonAsync("/api/admin/safe-mode", new { enabled = true })) Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.StatusCode);
        using (var bad = await admin.PatchAsJsonAsync("/api/admin/safe-mode", new { reason = "no flag" })) await ProblemAssert.IsAsync(bad, HttpStatusCode.BadRequest, "validation_failed");
        using (var pinned = await admin.PatchAsJsonAsync("/api/admin/safe-mode", new { enabled = false })) await ProblemAssert.IsAsync(pinned, HttpStatusCode.Conflict, "safe_mode_configured");

        var state = await TenantClient.ExpectAsync(await admin.GetAsync("/api/admin/safe-mode"), HttpStatusCode.OK);
        Assert.True(state.GetProperty("enabled").GetBoolean());
        Assert.True(state.GetProperty("configured").GetBoolean());
        Assert.False(state.GetProperty("switched_on").GetBoolean());
    }

    [SkippableFact]
    public async Task SwitchOn_EveryTenantWithASafeModeRuleHearsOfItOnce()
    {
        await using var app = await SpotOptimizerApp.CreateAsync(postgres,
            SpotOptimizer.Api.Tests.Notifications.NotificationsFlowTests.NotifySettings([.. AdminSettings]));
        using var receiver = new WebhookReceiver();
        var admin = await AdminAsync(app);
        var tenant = await TenantClient.SignUpAsync(app);
        await SpotOptimizer.Api.Tests.Notifications.NotificationsFlowTests.PutRulesAsync(tenant,
            [new { events = new[] { "safe_mode_entered" }, channel = "webhook", url = receiver.Url() }]);

        await PatchAsync(admin, new { enabled = true, reason = "drill" }, HttpStatusCode.OK);
        await PatchAsync(admin, new { enabled = true, reason = "drill, again" }, HttpStatusCode.OK);

        var delivered = await receiver.WaitForAsync(within: TimeSpan.FromSeconds(15));
        Assert.Equal("safe_mode_entered", delivered.Header(SpotOptimizer.Notifications.Channels.WebhookSignature.EventHeader));
        Assert.Contains("SAFE_MODE", System.Text.Encoding.UTF8.GetString(delivered.Body), StringComparison.Ordinal);
        await Task.Delay(1000);
        Assert.Single(receiver.Received);
    }

    public static async Task<HttpClient> AdminAsync(SpotOptimizerApp app)
    {
        var http = app.CreateClient();
        using var login = await http.PostAsJsonAsync("/api/auth/token", new { email = AdminEmail, password = AdminPassword });
        var token = (await TenantClient.ExpectAsync(login, HttpStatusCode.OK)).GetProperty("jwt_token").GetString();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    private static async Task<System.Text.Json.JsonElement> PatchAsync(HttpClient admin, object body, HttpStatusCode expected) =>
        await TenantClient.ExpectAsync(await admin.PatchAsJsonAsync("/api/admin/safe-mode", body), expected);
}

public sealed class SqliteSafeModeSwitchTests() : SafeModeSwitchTests(postgres: false);

public sealed class PostgresSafeModeSwitchTests() : SafeModeSwitchTests(postgres: true);
