using System.Net;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.DependencyInjection;

namespace SpotOptimizer.Testing.SignalR;

/// <summary>
/// A real SignalR <see cref="HubConnection"/> for tests, carried by <see cref="WebSocketConnectionFactory"/>.
/// <code>
/// await using var hub = await TestHubClient.ConnectAsync(new Uri(baseUrl, "/hubs/fleet"), jwt);
/// var echoed = await hub.InvokeAsync&lt;string&gt;("Echo", "hi");
/// // TestServer: TestHubClient.ConnectAsync(url, jwt, server.CreateWebSocketClient().ConnectAsync)
/// </code>
/// </summary>
public static class TestHubClient
{
    /// <summary>A started connection. Use <see cref="Create"/> to subscribe to events (such as Closed) before it starts.</summary>
    public static async Task<HubConnection> ConnectAsync(
        Uri hubUrl,
        string? accessToken = null,
        Func<Uri, CancellationToken, Task<WebSocket>>? connect = null,
        CancellationToken cancellationToken = default)
    {
        var connection = Create(hubUrl, accessToken, connect);
        try
        {
            await connection.StartAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Waits until the server has run the hub's <c>OnConnectedAsync</c> (where hubs join their groups). A started
    /// client only knows the handshake was answered, which the server does before <c>OnConnectedAsync</c>; invocations
    /// are dispatched after it, so the answer to one, even "method does not exist", proves the groups are joined.
    /// </summary>
    public static async Task JoinedOnServerAsync(this HubConnection connection, CancellationToken cancellationToken = default)
    {
        try
        {
            await connection.InvokeAsync("__joined", cancellationToken);
        }
        catch (HubException e) when (e.Message.Contains("does not exist", StringComparison.Ordinal))
        {
            // The expected answer: the hub has no such method, and answering it came after OnConnectedAsync.
        }
    }

    /// <summary>A connection not yet started; <paramref name="configure"/> may add a protocol, logging or reconnects.</summary>
    public static HubConnection Create(
        Uri hubUrl,
        string? accessToken = null,
        Func<Uri, CancellationToken, Task<WebSocket>>? connect = null,
        Action<IHubConnectionBuilder>? configure = null)
    {
        var builder = new HubConnectionBuilder().WithWebSocket(hubUrl, accessToken, connect);
        configure?.Invoke(builder);
        return builder.Build();
    }

    /// <summary>Makes a builder connect over a direct WebSocket (the builder registers the JSON protocol itself).</summary>
    public static IHubConnectionBuilder WithWebSocket(
        this IHubConnectionBuilder builder,
        Uri hubUrl,
        string? accessToken = null,
        Func<Uri, CancellationToken, Task<WebSocket>>? connect = null)
    {
        Func<Task<string?>>? tokenProvider = accessToken is null ? null : () => Task.FromResult<string?>(accessToken);
        // Resolved lazily: the protocol (JSON or one added after this call) is only known when the builder builds.
        builder.Services.AddSingleton<IConnectionFactory>(services =>
            new WebSocketConnectionFactory(services.GetRequiredService<IHubProtocol>(), connect, tokenProvider));
        builder.Services.AddSingleton<EndPoint>(new UriEndPoint(hubUrl));
        return builder;
    }
}
