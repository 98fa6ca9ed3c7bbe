using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using SpotOptimizer.Testing;
using SpotOptimizer.Testing.SignalR;

namespace SpotOptimizer.Api.Tests.Onboarding;

/// <summary>The live hubs through a real SignalR client over a WebSocket to the test server.</summary>
public sealed class LiveFeedHubTests : IAsyncLifetime
{
    private readonly SpotOptimizerApp _app = SpotOptimizerApp.Sqlite();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task ActivityHub_TwoTenants_EachReceivesOnlyItsOwnEvents()
    {
        var a = await TenantClient.SignUpAsync(_app);
        var b = await TenantClient.SignUpAsync(_app);
        var seenByA = new ConcurrentQueue<JsonElement>();
        var seenByB = new ConcurrentQueue<JsonElement>();
        await using var hubA = await ConnectAsync("/hubs/activity", a.Token, c => c.On<JsonElement>("activity", seenByA.Enqueue));
        await using var hubB = await ConnectAsync("/hubs/activity", b.Token, c => c.On<JsonElement>("activity", seenByB.Enqueue));

        await a.PostJsonAsync("/api/connect/link", null);
        await b.PostJsonAsync("/api/connect/link", null);

        await Eventually.Wait(() => seenByA.Count + seenByB.Count, n => n >= 2, what: "both tenants' events");
        var eventA = Assert.Single(seenByA);
        Assert.Equal("account.link_started", eventA.GetProperty("action").GetString());
        Assert.Equal(a.OrganizationId, eventA.GetProperty("organization_id").GetString());
        Assert.All(seenByB, e => Assert.Equal(b.OrganizationId, e.GetProperty("organization_id").GetString()));
    }

    [Fact]
    public async Task OnboardingHub_DuringDiscovery_ProgressRisesToDoneWithClustersFound()
    {
        var tenant = await TenantClient.SignUpAsync(_app);
        var progress = new ConcurrentQueue<JsonElement>();
        await using var hub = await ConnectAsync("/hubs/onboarding", tenant.Token, c => c.On<JsonElement>("progress", progress.Enqueue));

        var accountId = await Journey.LinkAccountAsync(tenant, "810987654321");

        await Eventually.Wait(() => progress.Any(p => p.GetProperty("stage").GetString() == "done"), done => done, what: "the done event");
        var events = progress.Where(p => p.GetProperty("account_id").GetString() == accountId).ToList();
        var percents = events.Select(p => p.GetProperty("progress").GetInt32()).ToList();
        Assert.Equal(percents.Order(), percents);
        Assert.Equal(100, percents[^1]);
        Assert.Equal(2, events[^1].GetProperty("clusters_found").GetInt32());
    }

    [Fact]
    public async Task Hubs_WithoutToken_ConnectionRefused()
    {
        await Assert.ThrowsAnyAsync<Exception>(() => ConnectAsync("/hubs/activity", null, _ => { }));
        await Assert.ThrowsAnyAsync<Exception>(() => ConnectAsync("/hubs/onboarding", "not-a-jwt", _ => { }));
    }

    private async Task<HubConnection> ConnectAsync(string path, string? token, Action<HubConnection> subscribe)
    {
        var server = _app.Server;
        var connection = TestHubClient.Create(new Uri(server.BaseAddress, path), token, server.CreateWebSocketClient().ConnectAsync);
        subscribe(connection);
        try
        {
            await connection.StartAsync();
            await connection.JoinedOnServerAsync();
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }
}
