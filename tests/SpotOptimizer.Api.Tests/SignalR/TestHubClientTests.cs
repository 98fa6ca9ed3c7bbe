using System.Collections.Concurrent;
using System.Net.WebSockets;
using Microsoft.AspNetCore.SignalR.Client;
using SpotOptimizer.Testing.SignalR;

namespace SpotOptimizer.Api.Tests.SignalR;

/// <summary>
/// The test SignalR client against a real hub, over a real socket (Kestrel) and over TestServer: every wait is on a
/// task completed by the event itself, bounded by <see cref="Within"/>.
/// </summary>
public sealed class TestHubClientTests
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(10);

    [Theory(Timeout = HubTestHost.TestTimeoutMs)]
    [InlineData(HostKind.Kestrel)]
    [InlineData(HostKind.TestServer)]
    public async Task InvokeAsync_Echo_ReturnsArgument(HostKind kind)
    {
        await using var host = await HubTestHost.StartAsync(kind);
        await using var client = await host.ConnectAsync();

        var echoed = await client.InvokeAsync<string>("Echo", "héllo \u2603").WaitAsync(Within);

        Assert.Equal("héllo \u2603", echoed);
        Assert.Equal(HubConnectionState.Connected, client.State);
    }

    [Theory(Timeout = HubTestHost.TestTimeoutMs)]
    [InlineData(HostKind.Kestrel)]
    [InlineData(HostKind.TestServer)]
    public async Task On_ServerPushesToCaller_HandlerReceivesMessage(HostKind kind)
    {
        await using var host = await HubTestHost.StartAsync(kind);
        await using var client = await host.ConnectAsync();
        var pushed = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        client.On<string>("pushed", text => pushed.TrySetResult(text));

        await client.InvokeAsync("PushToCaller", "ping").WaitAsync(Within);

        Assert.Equal("ping", await pushed.Task.WaitAsync(Within));
    }

    [Theory(Timeout = HubTestHost.TestTimeoutMs)]
    [InlineData(HostKind.Kestrel)]
    [InlineData(HostKind.TestServer)]
    public async Task On_GroupBroadcast_OnlyMembersReceive(HostKind kind)
    {
        await using var host = await HubTestHost.StartAsync(kind);
        await using var first = await host.ConnectAsync();
        await using var second = await host.ConnectAsync();
        await using var outsider = await host.ConnectAsync();
        var listeners = new[] { first, second, outsider }.Select(Listen).ToArray();
        await first.InvokeAsync("Join", "fleet-a").WaitAsync(Within);
        await second.InvokeAsync("Join", "fleet-a").WaitAsync(Within);
        await outsider.InvokeAsync("Join", "fleet-b").WaitAsync(Within);

        await outsider.InvokeAsync("BroadcastToGroup", "fleet-a", "scale-up").WaitAsync(Within);

        // Each connection gets "group" before "all", and handlers run in order: once "all" arrived, "group" would have.
        foreach (var listener in listeners) Assert.Equal("scale-up", await listener.All.Task.WaitAsync(Within));
        Assert.Equal(["scale-up"], listeners[0].Group);
        Assert.Equal(["scale-up"], listeners[1].Group);
        Assert.Empty(listeners[2].Group);
    }

    [Theory(Timeout = HubTestHost.TestTimeoutMs)]
    [InlineData(HostKind.Kestrel)]
    [InlineData(HostKind.TestServer)]
    public async Task ConnectAsync_AccessToken_ArrivesUnchangedInQuery(HostKind kind)
    {
        await using var host = await HubTestHost.StartAsync(kind);
        await using var client = await host.ConnectAsync(HubTestHost.Token);

        var seen = await client.InvokeAsync<string?>("AccessToken").WaitAsync(Within);

        Assert.Equal(HubTestHost.Token, seen);
    }

    [Theory(Timeout = HubTestHost.TestTimeoutMs)]
    [InlineData(HostKind.Kestrel)]
    [InlineData(HostKind.TestServer)]
    public async Task StartAsync_NoAccessToken_ServerAbortsAndClosedFires(HostKind kind)
    {
        await using var host = await HubTestHost.StartAsync(kind);
        await using var client = host.Create(accessToken: null);
        var closed = ObserveClosed(client);

        // The handshake completes before OnConnectedAsync runs, so start succeeds and the abort follows.
        await client.StartAsync().WaitAsync(Within);

        await host.Probe.Rejected.Task.WaitAsync(Within);
        await closed.WaitAsync(Within);
        Assert.Equal(HubConnectionState.Disconnected, client.State);
    }

    [Theory(Timeout = HubTestHost.TestTimeoutMs)]
    [InlineData(HostKind.Kestrel)]
    [InlineData(HostKind.TestServer)]
    public async Task Closed_ServerAbortsConnection_Fires(HostKind kind)
    {
        await using var host = await HubTestHost.StartAsync(kind);
        await using var client = await host.ConnectAsync();
        var closed = ObserveClosed(client);
        var id = await client.InvokeAsync<string>("WhoAmI").WaitAsync(Within);

        // Send, not Invoke: the abort may beat the completion message, which would fail an invocation.
        await client.SendAsync("Kick").WaitAsync(Within);

        await closed.WaitAsync(Within);
        Assert.Equal(HubConnectionState.Disconnected, client.State);
        await host.Probe.Disconnected(id).Task.WaitAsync(Within);
        await Assert.ThrowsAsync<InvalidOperationException>(() => client.InvokeAsync<string>("Echo", "x"));
    }

    [Theory(Timeout = HubTestHost.TestTimeoutMs)]
    [InlineData(HostKind.Kestrel)]
    [InlineData(HostKind.TestServer)]
    public async Task DisposeAsync_Client_ServerRunsOnDisconnectedAndSocketClosesCleanly(HostKind kind)
    {
        await using var host = await HubTestHost.StartAsync(kind);
        WebSocket? socket = null;
        var connect = host.Connect ?? WebSocketConnectionFactory.ConnectClientWebSocketAsync;
        var client = await TestHubClient.ConnectAsync(host.HubUrl, HubTestHost.Token, async (uri, ct) => socket = await connect(uri, ct));
        var id = await client.InvokeAsync<string>("WhoAmI").WaitAsync(Within);

        await client.DisposeAsync().AsTask().WaitAsync(Within);

        Assert.Null(await host.Probe.Disconnected(id).Task.WaitAsync(Within));
        // Stopping, HubConnection sends a CloseMessage and the server closes the socket first; it must end closed,
        // not cut. (The close frames themselves are checked in WebSocketConnectionContextTests.)
        Assert.NotNull(socket);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, socket.CloseStatus);
        Assert.NotEqual(WebSocketState.Aborted, socket.State);
    }

    [Theory(Timeout = HubTestHost.TestTimeoutMs)]
    [InlineData(HostKind.Kestrel)]
    [InlineData(HostKind.TestServer)]
    public async Task ConnectAsync_UnknownHubPath_Throws(HostKind kind)
    {
        await using var host = await HubTestHost.StartAsync(kind);
        var wrongUrl = new Uri(host.HubUrl, "/hubs/missing");

        await Assert.ThrowsAnyAsync<Exception>(() => TestHubClient.ConnectAsync(wrongUrl, HubTestHost.Token, host.Connect).WaitAsync(Within));
    }

    [Theory]
    [InlineData("http://localhost:5000/hubs/x", null, "ws://localhost:5000/hubs/x")]
    [InlineData("https://api.example/hubs/x?tenant=7", "a+b/c=", "wss://api.example/hubs/x?tenant=7&access_token=a%2Bb%2Fc%3D")]
    [InlineData("ws://127.0.0.1:1/hubs/x", "jwt", "ws://127.0.0.1:1/hubs/x?access_token=jwt")]
    public void WebSocketUri_HubUrlAndToken_WebSocketSchemeAndEscapedToken(string hubUrl, string? token, string expected)
    {
        Assert.Equal(expected, WebSocketConnectionFactory.WebSocketUri(new Uri(hubUrl), token).AbsoluteUri);
    }

    [Fact]
    public void WebSocketUri_FtpScheme_Throws()
    {
        Assert.Throws<ArgumentException>(() => WebSocketConnectionFactory.WebSocketUri(new Uri("ftp://host/hubs/x"), null));
    }

    private static Task ObserveClosed(HubConnection client)
    {
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        client.Closed += _ =>
        {
            closed.TrySetResult();
            return Task.CompletedTask;
        };
        return closed.Task;
    }

    private static Listener Listen(HubConnection client)
    {
        var listener = new Listener();
        client.On<string>("group", listener.Group.Enqueue);
        client.On<string>("all", text => listener.All.TrySetResult(text));
        return listener;
    }

    private sealed class Listener
    {
        public ConcurrentQueue<string> Group { get; } = new();

        public TaskCompletionSource<string> All { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
