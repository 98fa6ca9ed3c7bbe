using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using SpotOptimizer.Api.Hubs;
using SpotOptimizer.Testing;
using SpotOptimizer.Testing.SignalR;

namespace SpotOptimizer.Api.Tests.SignalR;

/// <summary>
/// The hubs on a real socket, the way a .NET client reaches them: negotiate, then a WebSocket with the token in the
/// Authorization header (TestServer tests send it in the query, as browsers do).
/// </summary>
public sealed class KestrelHubTests : IAsyncLifetime
{
    private readonly SpotOptimizerApp _app = SpotOptimizerApp.Sqlite();

    public Task InitializeAsync()
    {
        _app.UseKestrel(0);
        _app.StartServer();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task ActivityHub_BearerHeaderAfterNegotiate_ReceivesOwnEvents()
    {
        var tenant = await TenantClient.SignUpAsync(_app);
        var seen = new ConcurrentQueue<JsonElement>();
        var hub = TestHubClient.Create(new Uri(tenant.Http.BaseAddress!, ActivityHub.Path), tenant.Token);
        hub.On<JsonElement>(ActivityHub.Method, seen.Enqueue);
        await hub.StartAsync();
        await using (hub)
        {
            await hub.JoinedOnServerAsync();
            // Only negotiation names a connection: a direct WebSocket would leave this null.
            Assert.NotNull(hub.ConnectionId);

            await tenant.PostJsonAsync("/api/connect/link", null);

            var activity = await Eventually.Wait(() => seen.FirstOrDefault(), e => e.ValueKind != JsonValueKind.Undefined, what: "the activity event");
            Assert.Equal(tenant.OrganizationId, activity.GetProperty("organization_id").GetString());
        }
    }

    [Fact]
    public async Task ActivityHub_NoToken_NegotiateUnauthorized()
    {
        var url = new Uri(_app.CreateClient().BaseAddress!, ActivityHub.Path);

        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => TestHubClient.ConnectAsync(url));

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }
}
