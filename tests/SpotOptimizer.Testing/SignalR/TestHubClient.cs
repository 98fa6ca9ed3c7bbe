using System.Net.WebSockets;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace SpotOptimizer.Testing.SignalR;

/// <summary>
/// SignalR's own client, set up for a test server.
/// <code>
/// // Kestrel: negotiate, then a WebSocket carrying the token as a bearer header.
/// await using var hub = await TestHubClient.ConnectAsync(new Uri(baseUrl, "/hubs/activity"), jwt);
/// // TestServer: TestHubClient.ConnectAsync(url, jwt, server.CreateWebSocketClient().ConnectAsync)
/// </code>
/// </summary>
public static class TestHubClient
{
    /// <summary>A started connection. Use <see cref="Create"/> to subscribe to events before it starts.</summary>
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

    /// <summary>
    /// A connection not yet started. With <paramref name="connect"/> (TestServer's socket client, which has no HTTP
    /// stack to negotiate over) it goes straight to a WebSocket opened by that function.
    /// </summary>
    public static HubConnection Create(
        Uri hubUrl,
        string? accessToken = null,
        Func<Uri, CancellationToken, Task<WebSocket>>? connect = null) =>
        new HubConnectionBuilder()
            .WithUrl(hubUrl, options =>
            {
                options.AccessTokenProvider = () => Task.FromResult(accessToken);
                if (connect is null) return;
                options.Transports = HttpTransportType.WebSockets;
                options.SkipNegotiation = true;
                // The client hands its token only to its own ClientWebSocket (as a header), never to a custom factory,
                // so it goes where browsers put it and the hubs read it: the access_token query parameter.
                options.WebSocketFactory = async (context, ct) => await connect(WithAccessToken(context.Uri, accessToken), ct);
            })
            .Build();

    private static Uri WithAccessToken(Uri uri, string? accessToken)
    {
        if (string.IsNullOrEmpty(accessToken)) return uri;
        var query = uri.Query.TrimStart('?');
        return new UriBuilder(uri) { Query = (query.Length == 0 ? "" : query + "&") + "access_token=" + Uri.EscapeDataString(accessToken) }.Uri;
    }
}
