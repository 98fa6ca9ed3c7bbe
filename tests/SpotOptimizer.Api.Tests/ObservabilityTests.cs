using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;

namespace SpotOptimizer.Api.Tests;

/// <summary>Prometheus scrapes Orleans's meters and ours at /metrics; the Orleans Dashboard is for super admins only.</summary>
public sealed class ObservabilityTests : IAsyncLifetime
{
    private const string AdminEmail = "ops@spotoptimizer.io";
    private const string AdminPassword = "Platform-Keeper-2026!";

    private readonly SpotOptimizerApp _app = SpotOptimizerApp.With(new Dictionary<string, string?>
    {
        ["Auth:SuperAdminEmail"] = AdminEmail,
        ["Auth:SuperAdminPassword"] = AdminPassword,
    });

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Metrics_AfterTraffic_ExposeOrleansAndProductMeters()
    {
        var tenant = await TenantClient.SignUpAsync(_app);
        var (clusterId, agentToken) = await ConnectedClusterAsync(tenant);
        using (await Onboarding.Journey.HeartbeatAsync(_app.CreateClient(), agentToken)) { }

        var metrics = await SpotOptimizer.Testing.Eventually.Wait(() => _app.CreateClient().GetStringAsync("/metrics"),
            text => text.Contains("spotoptimizer_agent_heartbeats", StringComparison.Ordinal), what: "the heartbeat counter");

        Assert.NotEmpty(clusterId);
        Assert.Contains("orleans_", metrics, StringComparison.Ordinal);
        Assert.Contains("http_server_request_duration", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OrleansDashboard_AnonymousClientAndAdmin_401_403_AndThePageWithItsCookie()
    {
        using var anonymous = await _app.CreateClient().GetAsync("/orleans/");
        var tenant = await TenantClient.SignUpAsync(_app);
        using var asClient = await _app.CreateClient().GetAsync($"/orleans/?access_token={tenant.Token}");
        var admin = await AdminTokenAsync();
        using var asAdmin = await _app.CreateClient().GetAsync($"/orleans/?access_token={admin}");

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, asClient.StatusCode);
        Assert.Equal(HttpStatusCode.OK, asAdmin.StatusCode);
        Assert.Contains("text/html", asAdmin.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        var cookie = Assert.Single(asAdmin.Headers.GetValues("Set-Cookie"));
        Assert.Contains("spotoptimizer_dashboard=", cookie, StringComparison.Ordinal);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/orleans", cookie, StringComparison.OrdinalIgnoreCase);
    }

    private async Task<(string ClusterId, string AgentToken)> ConnectedClusterAsync(TenantClient tenant)
    {
        var accountId = await Onboarding.Journey.LinkAccountAsync(tenant, "610987654321");
        var (clusterId, agentToken, _) = await Onboarding.Journey.ConnectFirstClusterAsync(tenant, accountId);
        return (clusterId, agentToken);
    }

    private async Task<string> AdminTokenAsync()
    {
        using var login = await _app.CreateClient().PostAsJsonAsync("/api/auth/token", new { email = AdminEmail, password = AdminPassword });
        return (await TenantClient.ExpectAsync(login, HttpStatusCode.OK)).GetProperty("jwt_token").GetString()!;
    }
}
