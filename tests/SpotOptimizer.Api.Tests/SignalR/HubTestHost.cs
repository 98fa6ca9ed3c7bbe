using System.Net;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SpotOptimizer.Testing.SignalR;

namespace SpotOptimizer.Api.Tests.SignalR;

public enum HostKind
{
    /// <summary>Kestrel on a loopback port chosen by the OS, reached by a real ClientWebSocket.</summary>
    Kestrel,

    /// <summary>TestServer in memory, reached through its CreateWebSocketClient().</summary>
    TestServer,
}

/// <summary>
/// A minimal ASP.NET Core app of the tests' own (not the product's Program) serving <see cref="ProbeHub"/>, plus a
/// plain WebSocket endpoint whose server side the test drives itself, to see frames below SignalR.
/// </summary>
public sealed class HubTestHost : IAsyncDisposable
{
    public const string HubPath = "/hubs/probe";

    public const string RawSocketPath = "/ws/raw";

    /// <summary>xunit's bound on a whole test, so a disposal that never completes fails the test instead of hanging the run.</summary>
    public const int TestTimeoutMs = 60_000;

    /// <summary>Any token is accepted; this one needs escaping in a query string, as a JWT's base64 might.</summary>
    public const string Token = "header.pay+load/=.sig";

    private readonly WebApplication _app;

    private HubTestHost(WebApplication app, Uri hubUrl, Func<Uri, CancellationToken, Task<WebSocket>>? connect)
    {
        _app = app;
        HubUrl = hubUrl;
        Connect = connect;
    }

    public Uri HubUrl { get; }

    /// <summary>Null for Kestrel (the client's default real socket); TestServer's WebSocket client otherwise.</summary>
    public Func<Uri, CancellationToken, Task<WebSocket>>? Connect { get; }

    public HubProbe Probe => _app.Services.GetRequiredService<HubProbe>();

    public static async Task<HubTestHost> StartAsync(HostKind kind)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSignalR();
        builder.Services.AddSingleton<HubProbe>();
        // A failing test can leave a socket open; stopping then gives up after 2 s rather than the default 30 s.
        builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = TimeSpan.FromSeconds(2));
        if (kind == HostKind.TestServer) builder.WebHost.UseTestServer();
        else builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));

        var app = builder.Build();
        app.MapHub<ProbeHub>(HubPath);
        app.UseWebSockets();
        app.Map(RawSocketPath, AcceptRawSocketAsync);
        await app.StartAsync();

        if (kind == HostKind.TestServer)
        {
            var server = app.GetTestServer();
            return new HubTestHost(app, new Uri(server.BaseAddress, HubPath), server.CreateWebSocketClient().ConnectAsync);
        }

        // Port 0 is resolved at bind time; the server reports the real one.
        return new HubTestHost(app, new Uri(new Uri(app.Urls.Single()), HubPath), null);
    }

    /// <summary>Opens a socket to <see cref="RawSocketPath"/> and returns both ends.</summary>
    public async Task<(WebSocket Client, RawSocketSession Server)> ConnectRawAsync()
    {
        var connect = Connect ?? WebSocketConnectionFactory.ConnectClientWebSocketAsync;
        var client = await connect(WebSocketConnectionFactory.WebSocketUri(new Uri(HubUrl, RawSocketPath), null), CancellationToken.None);
        return (client, await Probe.RawSockets.Reader.ReadAsync());
    }

    public Task<HubConnection> ConnectAsync(string? accessToken = Token) => TestHubClient.ConnectAsync(HubUrl, accessToken, Connect);

    public HubConnection Create(string? accessToken = Token) => TestHubClient.Create(HubUrl, accessToken, Connect);

    private static async Task AcceptRawSocketAsync(HttpContext context)
    {
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var session = new RawSocketSession(socket, context);
        await context.RequestServices.GetRequiredService<HubProbe>().RawSockets.Writer.WriteAsync(session);
        // The test owns the socket until it ends the request; host shutdown ends it too, so disposal never waits.
        var stopping = context.RequestServices.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        await session.Released.WaitAsync(stopping).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
