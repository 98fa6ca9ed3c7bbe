using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.SignalR.Client;
using SpotOptimizer.Api.Tests.Onboarding;
using SpotOptimizer.Testing;
using SpotOptimizer.Testing.SignalR;

namespace SpotOptimizer.Api.Tests.Admin;

public abstract class AdminApiTests : IAsyncLifetime
{
    private const string AdminEmail = "owner@spotoptimizer.io";
    private const string AdminPassword = "Platform-Keeper-2026!";

    private SpotOptimizerApp _app = null!;

    private TenantClient _client = null!;
    private HttpClient _admin = null!;
    private string _adminToken = null!;

    protected abstract bool Postgres { get; }

    public async Task InitializeAsync()
    {
        _app = await SpotOptimizerApp.CreateAsync(Postgres, new Dictionary<string, string?>
        {
            ["Auth:SuperAdminEmail"] = AdminEmail,
            ["Auth:SuperAdminPassword"] = AdminPassword,
        });
        _client = await TenantClient.SignUpAsync(_app);
        _admin = _app.CreateClient();
        using var login = await _admin.PostAsJsonAsync("/api/auth/token", new { email = AdminEmail, password = AdminPassword });
        _adminToken = (await TenantClient.ExpectAsync(login, HttpStatusCode.OK)).GetProperty("jwt_token").GetString()!;
        _admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _adminToken);
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [SkippableTheory]
    [InlineData("GET", "/api/admin/clients")]
    [InlineData("POST", "/api/admin/impersonate")]
    [InlineData("GET", "/api/admin/health/workers")]
    [InlineData("GET", "/api/lab/production")]
    [InlineData("POST", "/api/lab/graduate")]
    [InlineData("POST", "/api/lab/rollback")]
    public async Task AdminEndpoint_ClientToken_403(string method, string url)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), url) { Content = JsonContent.Create(new { client_id = _client.OrganizationId }) };
        using var response = await _client.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [SkippableFact]
    public async Task AdminLogsHub_ClientToken_Refused() =>
        await Assert.ThrowsAnyAsync<Exception>(() => TestHubClient.ConnectAsync(
            new Uri(_app.Server.BaseAddress, "/hubs/admin-logs"), _client.Token, _app.Server.CreateWebSocketClient().ConnectAsync));

    [SkippableFact]
    public async Task Clients_ListsTenantsWithCountsButNotThePlatform()
    {
        await Journey.LinkAccountAsync(_client, "910987654321");

        var clients = (await TenantClient.ExpectAsync(await _admin.GetAsync("/api/admin/clients"), HttpStatusCode.OK)).GetProperty("clients").EnumerateArray().ToList();

        var mine = Assert.Single(clients);
        Assert.Equal(_client.OrganizationId, mine.GetProperty("client_id").GetString());
        Assert.Equal(1, mine.GetProperty("linked_accounts").GetInt32());
        Assert.Equal("active", mine.GetProperty("status").GetString());
    }

    [SkippableFact]
    public async Task Impersonate_ActionsRecordedWithAdminAsImpersonator()
    {
        var impersonation = await TenantClient.ExpectAsync(
            await _admin.PostAsJsonAsync("/api/admin/impersonate", new { client_id = _client.OrganizationId }), HttpStatusCode.OK);
        var adminId = (await TenantClient.ExpectAsync(await _admin.GetAsync("/api/auth/me"), HttpStatusCode.OK)).GetProperty("user_id").GetString();
        var asClient = _app.CreateClient();
        asClient.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", impersonation.GetProperty("token").GetString());

        using (var link = await asClient.PostAsync("/api/connect/link", null)) Assert.Equal(HttpStatusCode.OK, link.StatusCode);

        var entries = (await _client.GetJsonAsync("/api/audit?limit=10")).GetProperty("entries").EnumerateArray().ToList();
        var linked = entries.First(e => e.GetProperty("action").GetString() == "account.link_started");
        Assert.Equal($"user:{adminId}", linked.GetProperty("impersonator").GetString());
        Assert.Contains(entries, e => e.GetProperty("action").GetString() == "admin.impersonation_started");
        var own = entries.First(e => e.GetProperty("action").GetString() == "organization.signed_up");
        Assert.Equal(System.Text.Json.JsonValueKind.Null, own.GetProperty("impersonator").ValueKind);
    }

    [SkippableFact]
    public async Task Workers_AfterLinking_GreenWithoutFailures()
    {
        await Journey.LinkAccountAsync(_client, "920987654321");

        var health = await TenantClient.ExpectAsync(await _admin.GetAsync("/api/admin/health/workers"), HttpStatusCode.OK);

        Assert.Equal("green", health.GetProperty("status").GetString());
        var discovery = health.GetProperty("loops").EnumerateArray().Single(l => l.GetProperty("loop").GetString() == "discovery");
        Assert.Equal(0, discovery.GetProperty("failed_runs").GetInt64());
        Assert.Equal(1, health.GetProperty("active_silos").GetInt32());
    }

    [SkippableFact]
    public async Task Workers_DiscoveryFailing_CountsFailedRuns()
    {
        var accountId = await Journey.LinkAccountAsync(_client, "930987654321");
        var cloud = _app.Services.GetRequiredService<SpotOptimizer.Cloud.Simulation.SimulatedCloud>();
        cloud.InjectFault(SpotOptimizer.Cloud.CloudActions.DescribeInstances,
            new SpotOptimizer.Cloud.CloudException(SpotOptimizer.Cloud.CloudErrorCodes.Throttled, "slow down", retryable: true), times: 1);

        await Assert.ThrowsAsync<SpotOptimizer.Cloud.CloudException>(() =>
            _app.Services.GetRequiredService<Orleans.IGrainFactory>().GetGrain<SpotOptimizer.Grains.Interfaces.Accounts.IAccountGrain>(accountId).Discover());

        var discovery = await Eventually.Wait(async () => (await TenantClient.ExpectAsync(await _admin.GetAsync("/api/admin/health/workers"), HttpStatusCode.OK))
            .GetProperty("loops").EnumerateArray().Single(l => l.GetProperty("loop").GetString() == "discovery"),
            l => l.GetProperty("failed_runs").GetInt64() == 1, what: "the failed run");
        Assert.Equal("yellow", discovery.GetProperty("status").GetString());
        Assert.Equal(SpotOptimizer.Cloud.CloudErrorCodes.Throttled, discovery.GetProperty("last_error_code").GetString());
    }

    [SkippableFact]
    public async Task Workers_DiscoveryKeepsFailing_RedAndHealthDegraded()
    {
        var accountId = await Journey.LinkAccountAsync(_client, "940987654321");
        var cloud = _app.Services.GetRequiredService<SpotOptimizer.Cloud.Simulation.SimulatedCloud>();
        cloud.InjectFault(SpotOptimizer.Cloud.CloudActions.DescribeInstances,
            new SpotOptimizer.Cloud.CloudException(SpotOptimizer.Cloud.CloudErrorCodes.Throttled, "slow down", retryable: true), times: 3);
        var account = _app.Services.GetRequiredService<Orleans.IGrainFactory>().GetGrain<SpotOptimizer.Grains.Interfaces.Accounts.IAccountGrain>(accountId);
        for (var i = 0; i < 3; i++) await Assert.ThrowsAsync<SpotOptimizer.Cloud.CloudException>(() => account.Discover());

        var workers = await Eventually.Wait(async () => await TenantClient.ExpectAsync(await _admin.GetAsync("/api/admin/health/workers"), HttpStatusCode.OK),
            w => w.GetProperty("status").GetString() == "red", what: "a red light");
        Assert.Equal(3, workers.GetProperty("loops").EnumerateArray().Single(l => l.GetProperty("loop").GetString() == "discovery").GetProperty("recent_failures").GetInt32());
        var health = await TenantClient.ExpectAsync(await _app.CreateClient().GetAsync("/health"), HttpStatusCode.OK);
        Assert.Equal("Degraded", health.GetProperty("status").GetString());
        Assert.Contains("discovery", health.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "cluster").GetProperty("description").GetString());
    }

    [SkippableFact]
    public async Task AdminLogsHub_Impersonation_StreamsStructuredLine()
    {
        var lines = new ConcurrentQueue<string>();
        var hub = TestHubClient.Create(new Uri(_app.Server.BaseAddress, "/hubs/admin-logs"), _adminToken, _app.Server.CreateWebSocketClient().ConnectAsync);
        hub.On<string>("log", lines.Enqueue);
        await hub.StartAsync();
        await using (hub)
        {
            await hub.JoinedOnServerAsync();
            await _admin.PostAsJsonAsync("/api/admin/impersonate", new { client_id = _client.OrganizationId });
            var line = await Eventually.Wait(() => lines.FirstOrDefault(l => l.Contains("[IMPERSONATE]", StringComparison.Ordinal)), l => l is not null, what: "the log line");
            Assert.Matches(@"^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}\] \[ADMIN-API\] \[IMPERSONATE\] \[SUCCESS\]", line);
        }
    }

    [SkippableTheory]
    [InlineData(0, "green")]
    [InlineData(1, "yellow")]
    [InlineData(2, "yellow")]
    [InlineData(3, "red")]
    public void Light_RecentFailures_TrafficLight(int recent, string expected) =>
        Assert.Equal(expected, SpotOptimizer.Api.Apis.AdminApi.Light(new SpotOptimizer.Grains.Interfaces.Platform.LoopStatus("discovery", recent, recent, null, null)));
}

public sealed class SqliteAdminApiTests : AdminApiTests
{
    protected override bool Postgres => false;
}

public sealed class PostgresAdminApiTests : AdminApiTests
{
    protected override bool Postgres => true;
}
