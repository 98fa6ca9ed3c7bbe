using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using SpotOptimizer.Cloud.Simulation;
using static SpotOptimizer.Api.Tests.Optimization.OptimizationJourney;

namespace SpotOptimizer.Api.Tests.Optimization;

/// <summary>A job a super admin starts while impersonating runs in timer turns; every entry it writes still names the admin.</summary>
public sealed class ImpersonatedOptimizationTests
{
    [Fact]
    public async Task OptimizeWhileImpersonating_EveryExecutorEntryNamesTheAdmin()
    {
        await using var app = await SpotOptimizerApp.CreateAsync(false, Settings(
            ("Auth:SuperAdminEmail", "owner@spotoptimizer.io"), ("Auth:SuperAdminPassword", "Platform-Keeper-2026!")));
        var (tenant, clusterId) = await ConnectedTenantAsync(app, SimulatedWorld.DemoAccountId, "ops@impersonated.io");
        var admin = app.CreateClient();
        using (var login = await admin.PostAsJsonAsync("/api/auth/token", new { email = "owner@spotoptimizer.io", password = "Platform-Keeper-2026!" }))
            admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (await TenantClient.ExpectAsync(login, HttpStatusCode.OK)).GetProperty("jwt_token").GetString());
        var adminId = (await TenantClient.ExpectAsync(await admin.GetAsync("/api/auth/me"), HttpStatusCode.OK)).GetProperty("user_id").GetString();
        var impersonation = await TenantClient.ExpectAsync(await admin.PostAsJsonAsync("/api/admin/impersonate", new { client_id = tenant.OrganizationId }), HttpStatusCode.OK);
        var asClient = app.CreateClient();
        asClient.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", impersonation.GetProperty("token").GetString());

        var accepted = await TenantClient.ExpectAsync(await asClient.PostAsync($"/api/clusters/{clusterId}/optimize", null), HttpStatusCode.Accepted);
        await FinishedAsync(tenant, accepted.GetProperty("job_id").GetString()!);

        var entries = (await tenant.GetJsonAsync("/api/audit?limit=100")).GetProperty("entries").EnumerateArray()
            .Where(e => e.GetProperty("action").GetString()!.StartsWith("executor.", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(entries);
        Assert.All(entries, e => Assert.Equal($"user:{adminId}", e.GetProperty("impersonator").GetString()));
    }
}
