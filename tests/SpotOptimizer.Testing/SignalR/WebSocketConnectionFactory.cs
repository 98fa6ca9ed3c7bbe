using System.Net;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.SignalR.Protocol;

namespace SpotOptimizer.Testing.SignalR;

/// <summary>
/// The transport for a test <c>HubConnection</c>: a WebSocket opened straight to the hub URL. The full SignalR client
/// (its HTTP connection with /negotiate) cannot be restored here; the server accepts a WebSocket request that carries
/// no connection id as a new connection, so skipping negotiation loses nothing a test needs.
/// </summary>
public sealed class WebSocketConnectionFactory : IConnectionFactory
{
    private readonly TransferFormat _format;
    private readonly Func<Uri, CancellationToken, Task<WebSocket>> _connect;
    private readonly Func<Task<string?>>? _accessTokenProvider;

    /// <param name="protocol">The hub protocol the connection speaks; it decides text or binary frames.</param>
    /// <param name="connect">Opens the socket for a ws:// URL; a real <see cref="ClientWebSocket"/> when null, or
    /// TestServer's <c>CreateWebSocketClient().ConnectAsync</c>.</param>
    /// <param name="accessTokenProvider">Asked at every connect (so reconnects get a fresh token); the token goes in
    /// the <c>access_token</c> query parameter, where browsers' and SignalR's clients put it for WebSockets.</param>
    public WebSocketConnectionFactory(
        IHubProtocol protocol,
        Func<Uri, CancellationToken, Task<WebSocket>>? connect = null,
        Func<Task<string?>>? accessTokenProvider = null)
    {
        _format = protocol.TransferFormat;
        _connect = connect ?? ConnectClientWebSocketAsync;
        _accessTokenProvider = accessTokenProvider;
    }

    public async ValueTask<ConnectionContext> ConnectAsync(EndPoint endpoint, CancellationToken cancellationToken = default)
    {
        if (endpoint is not UriEndPoint { Uri: var hubUrl })
        {
            throw new NotSupportedException($"{nameof(WebSocketConnectionFactory)} connects to a {nameof(UriEndPoint)}, not a {endpoint.GetType().Name}.");
        }

        var accessToken = _accessTokenProvider is null ? null : await _accessTokenProvider();
        var socket = await _connect(WebSocketUri(hubUrl, accessToken), cancellationToken);
        return WebSocketConnectionContext.Start(socket, _format);
    }

    /// <summary>The hub URL with a WebSocket scheme and, when given, the escaped access token appended to its query.</summary>
    public static Uri WebSocketUri(Uri hubUrl, string? accessToken)
    {
        var builder = new UriBuilder(hubUrl)
        {
            Scheme = hubUrl.Scheme switch
            {
                "http" or "ws" => "ws",
                "https" or "wss" => "wss",
                _ => throw new ArgumentException($"A hub URL is http(s) or ws(s), not {hubUrl.Scheme}.", nameof(hubUrl)),
            },
        };
        if (!string.IsNullOrEmpty(accessToken))
        {
            var query = builder.Query.TrimStart('?');
            builder.Query = (query.Length == 0 ? "" : query + "&") + "access_token=" + Uri.EscapeDataString(accessToken);
        }

        return builder.Uri;
    }

    /// <summary>Opens a real socket; the default connector.</summary>
    public static async Task<WebSocket> ConnectClientWebSocketAsync(Uri uri, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        try
        {
            await socket.ConnectAsync(uri, cancellationToken);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
