using System.Net.WebSockets;
using System.Text;
using Microsoft.AspNetCore.Connections;
using SpotOptimizer.Testing.SignalR;

namespace SpotOptimizer.Api.Tests.SignalR;

/// <summary>
/// The pipe/socket bridge below SignalR, against a server socket the test drives: HubConnection hides the close
/// handshake (it sends a CloseMessage and the server closes first), so frames and close frames are checked here.
/// </summary>
public sealed class WebSocketConnectionContextTests
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(10);

    [Theory(Timeout = HubTestHost.TestTimeoutMs)]
    [InlineData(HostKind.Kestrel, TransferFormat.Text, WebSocketMessageType.Text)]
    [InlineData(HostKind.Kestrel, TransferFormat.Binary, WebSocketMessageType.Binary)]
    [InlineData(HostKind.TestServer, TransferFormat.Text, WebSocketMessageType.Text)]
    [InlineData(HostKind.TestServer, TransferFormat.Binary, WebSocketMessageType.Binary)]
    public async Task TransportOutput_Flushed_ArrivesAsOneMessageOfTheProtocolsFrameType(HostKind kind, TransferFormat format, WebSocketMessageType expected)
    {
        await using var host = await HubTestHost.StartAsync(kind);
        var (client, server) = await host.ConnectRawAsync();
        var context = WebSocketConnectionContext.Start(client, format);

        await context.Transport.Output.WriteAsync(Encoding.UTF8.GetBytes("{\"type\":6}\u001e"));

        var (type, payload) = await server.ReceiveMessageAsync().WaitAsync(Within);
        Assert.Equal(expected, type);
        Assert.Equal("{\"type\":6}\u001e", Encoding.UTF8.GetString(payload));
        await CloseAsync(context, server);
    }

    [Theory(Timeout = HubTestHost.TestTimeoutMs)]
    [InlineData(HostKind.Kestrel)]
    [InlineData(HostKind.TestServer)]
    public async Task TransportInput_ServerSends_ReceivesBytes(HostKind kind)
    {
        await using var host = await HubTestHost.StartAsync(kind);
        var (client, server) = await host.ConnectRawAsync();
        var context = WebSocketConnectionContext.Start(client, TransferFormat.Text);

        await server.Socket.SendAsync(Encoding.UTF8.GetBytes("{}\u001e"), WebSocketMessageType.Text, true, CancellationToken.None);

        var read = await context.Transport.Input.ReadAsync().AsTask().WaitAsync(Within);
        Assert.Equal("{}\u001e", Encoding.UTF8.GetString(read.Buffer));
        context.Transport.Input.AdvanceTo(read.Buffer.End);
        await CloseAsync(context, server);
    }

    [Theory(Timeout = HubTestHost.TestTimeoutMs)]
    [InlineData(HostKind.Kestrel)]
    [InlineData(HostKind.TestServer)]
    public async Task DisposeAsync_Open_SendsNormalCloseAndWaitsForTheAnswer(HostKind kind)
    {
        await using var host = await HubTestHost.StartAsync(kind);
        var (client, server) = await host.ConnectRawAsync();
        var context = WebSocketConnectionContext.Start(client, TransferFormat.Text);

        var disposing = context.DisposeAsync().AsTask();

        var (type, _) = await server.ReceiveMessageAsync().WaitAsync(Within);
        Assert.Equal(WebSocketMessageType.Close, type);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, server.Socket.CloseStatus);
        Assert.False(disposing.IsCompleted, "dispose waits for the server's close frame");
        await server.Socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        await disposing.WaitAsync(Within);
        Assert.True(context.ConnectionClosed.IsCancellationRequested);
        Assert.Equal(WebSocketState.Closed, client.State);
    }

    [Theory(Timeout = HubTestHost.TestTimeoutMs)]
    [InlineData(HostKind.Kestrel)]
    [InlineData(HostKind.TestServer)]
    public async Task TransportInput_ServerCloses_CompletesAndCloseIsAnswered(HostKind kind)
    {
        await using var host = await HubTestHost.StartAsync(kind);
        var (client, server) = await host.ConnectRawAsync();
        await using var context = WebSocketConnectionContext.Start(client, TransferFormat.Text);
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        context.ConnectionClosed.Register(() => closed.TrySetResult());

        // CloseAsync returns only once the client's close frame came back; an unanswered close would throw instead.
        await server.Socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None).WaitAsync(Within);

        var read = await context.Transport.Input.ReadAsync().AsTask().WaitAsync(Within);
        Assert.True(read.IsCompleted);
        Assert.True(read.Buffer.IsEmpty);
        await closed.Task.WaitAsync(Within);
    }

    [Fact(Timeout = HubTestHost.TestTimeoutMs)]
    public async Task TransportInput_ServerDropsConnection_FailsWithTheSocketError()
    {
        // Kestrel only: a dropped TCP connection is what the client's socket reports as an error; TestServer has none.
        await using var host = await HubTestHost.StartAsync(HostKind.Kestrel);
        var (client, server) = await host.ConnectRawAsync();
        await using var context = WebSocketConnectionContext.Start(client, TransferFormat.Text);

        server.Abort();

        await Assert.ThrowsAsync<WebSocketException>(() => context.Transport.Input.ReadAsync().AsTask().WaitAsync(Within));
    }

    /// <summary>Disposes the client with the server answering its close frame, so nothing waits out the close timeout.</summary>
    private static async Task CloseAsync(WebSocketConnectionContext context, RawSocketSession server)
    {
        var disposing = context.DisposeAsync().AsTask();
        Assert.Equal(WebSocketMessageType.Close, (await server.ReceiveMessageAsync().WaitAsync(Within)).Type);
        await server.Socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        await disposing.WaitAsync(Within);
    }
}
