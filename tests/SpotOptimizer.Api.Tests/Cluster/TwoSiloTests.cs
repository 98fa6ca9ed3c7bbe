using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using SpotOptimizer.Api.Tests.Onboarding;
using SpotOptimizer.Testing;
using SpotOptimizer.Testing.SignalR;

namespace SpotOptimizer.Api.Tests.Cluster;

/// <summary>
/// Two instances of the real host (silo + API each) on one PostgreSQL form one Orleans cluster: either serves every
/// tenant, a token from one works on the other, and live feeds cross silos — a tenant acting through instance A is
/// watched by a browser connected to instance B.
/// </summary>
public sealed class TwoSiloTests : TwoHostTest
{
    protected override IReadOnlyDictionary<string, string?> SettingsOfA => new Dictionary<string, string?>
    {
        ["Auth:SuperAdminEmail"] = AdminEmail,
        ["Auth:SuperAdminPassword"] = AdminPassword,
    };

    [SkippableFact]
    public async Task TokenFromA_WorksOnB_AndBSeesTheTenantsAccounts()
    {
        var tenant = await TenantClient.SignUpAsync(A);
        var accountId = await Journey.LinkAccountAsync(tenant, "710987654321");
        var (clusterId, _, _) = await Journey.ConnectFirstClusterAsync(tenant, accountId);

        using var onB = B.CreateClient();
        onB.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tenant.Token);
        var clusters = await TenantClient.ExpectAsync(await onB.GetAsync("/api/client/clusters"), HttpStatusCode.OK);
        var managed = Assert.Single(clusters.GetProperty("clusters").EnumerateArray());
        Assert.Equal(clusterId, managed.GetProperty("cluster_id").GetString());
        var accounts = await TenantClient.ExpectAsync(await onB.GetAsync("/api/connect/accounts"), HttpStatusCode.OK);
        Assert.Contains(accountId, accounts.ToString(), StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task ActingThroughA_ActivityAndDiscoveryProgress_ReachAHubClientOfB()
    {
        var tenant = await TenantClient.SignUpAsync(A);
        var activity = new ConcurrentQueue<JsonElement>();
        var progress = new ConcurrentQueue<JsonElement>();
        await using var activityHub = await ConnectAsync(B, "/hubs/activity", tenant.Token, c => c.On<JsonElement>("activity", activity.Enqueue));
        await using var onboardingHub = await ConnectAsync(B, "/hubs/onboarding", tenant.Token, c => c.On<JsonElement>("progress", progress.Enqueue));

        var accountId = await Journey.LinkAccountAsync(tenant, "720987654321");

        await Eventually.Wait(() => progress.Any(p => p.GetProperty("stage").GetString() == "done"), done => done, TimeSpan.FromSeconds(30), "discovery done, seen on B");
        await Eventually.Wait(() => activity.Any(e => e.GetProperty("action").GetString() == "account.verified"), seen => seen, TimeSpan.FromSeconds(30),
            "the verification entry, seen on B");
        Assert.All(activity, e => Assert.Equal(tenant.OrganizationId, e.GetProperty("organization_id").GetString()));
        Assert.Contains(progress, p => p.GetProperty("account_id").GetString() == accountId);
    }

    [SkippableFact]
    public async Task SafeModeSwitchedOnThroughA_EverySiloHoldsItWithinSeconds()
    {
        using var admin = A.CreateClient();
        using var login = await admin.PostAsJsonAsync("/api/auth/token", new { email = AdminEmail, password = AdminPassword });
        var token = (await TenantClient.ExpectAsync(login, HttpStatusCode.OK)).GetProperty("jwt_token").GetString();
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        var switched = System.Diagnostics.Stopwatch.StartNew();
        using var patch = await admin.PatchAsJsonAsync("/api/admin/safe-mode", new { enabled = true, reason = "two-silo drill" });
        await TenantClient.ExpectAsync(patch, HttpStatusCode.OK);

        var silos = new[] { A, B }.Select(app => app.Services.GetRequiredService<SpotOptimizer.Grains.SafeMode>()).ToList();
        await Eventually.Wait(() => silos.All(s => s.IsOn), on => on, TimeSpan.FromSeconds(5), "both silos to hold SAFE_MODE");
        Assert.InRange(switched.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(5));
    }

    private const string AdminEmail = "platform-ops@spotoptimizer.io";
    private const string AdminPassword = "Two-Silos-Drill-2026!";

    private static async Task<HubConnection> ConnectAsync(SpotOptimizerApp app, string path, string token, Action<HubConnection> subscribe)
    {
        var connection = TestHubClient.Create(new Uri(app.Server.BaseAddress, path), token, app.Server.CreateWebSocketClient().ConnectAsync);
        subscribe(connection);
        await connection.StartAsync();
        await connection.JoinedOnServerAsync();
        return connection;
    }
}
