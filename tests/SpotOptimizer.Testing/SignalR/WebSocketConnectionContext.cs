using System.Buffers;
using System.IO.Pipelines;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Features;

namespace SpotOptimizer.Testing.SignalR;

/// <summary>
/// One open WebSocket presented to SignalR's <c>HubConnection</c> as a <see cref="ConnectionContext"/>: frames the
/// server sends are written to the input pipe, bytes the hub connection writes are sent as frames. The end of the
/// input pipe is how <c>HubConnection</c> learns the server went away, so a server close or a broken socket completes
/// it (the latter with the error) and the client raises <c>Closed</c>.
/// </summary>
public sealed class WebSocketConnectionContext : ConnectionContext
{
    /// <summary>How long a side that sent its close frame waits for the peer's before cutting the socket.</summary>
    public static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(5);

    private const int ReceiveBufferSize = 4096;

    private readonly WebSocket _socket;
    private readonly WebSocketMessageType _messageType;
    private readonly Pipe _input = new(new PipeOptions(useSynchronizationContext: false)); // socket → HubConnection
    private readonly Pipe _output = new(new PipeOptions(useSynchronizationContext: false)); // HubConnection → socket
    private readonly CancellationTokenSource _closed = new();
    private Task _running = Task.CompletedTask;

    private WebSocketConnectionContext(WebSocket socket, TransferFormat format)
    {
        _socket = socket;
        // The hub protocol decides the frame type: JSON must go as text frames, MessagePack as binary ones.
        _messageType = format == TransferFormat.Binary ? WebSocketMessageType.Binary : WebSocketMessageType.Text;
        Transport = new DuplexPipe(_input.Reader, _output.Writer);
    }

    /// <summary>Takes ownership of an open socket and starts pumping it.</summary>
    public static WebSocketConnectionContext Start(WebSocket socket, TransferFormat format)
    {
        var context = new WebSocketConnectionContext(socket, format);
        context._running = context.RunAsync();
        return context;
    }

    /// <summary>
    /// The server names a connection during negotiation, which a direct WebSocket skips; like the official client with
    /// <c>SkipNegotiation</c>, <c>HubConnection.ConnectionId</c> therefore stays null. Ask the hub for
    /// <c>Context.ConnectionId</c> when a test needs it.
    /// </summary>
    public override string ConnectionId { get; set; } = null!;

    public override IFeatureCollection Features { get; } = new FeatureCollection();

    public override IDictionary<object, object?> Items { get; set; } = new Dictionary<object, object?>();

    public override IDuplexPipe Transport { get; set; }

    /// <summary>Fires once both directions have stopped and the socket is disposed.</summary>
    public override CancellationToken ConnectionClosed
    {
        get => _closed.Token;
        set => throw new NotSupportedException("The connection's lifetime follows its socket.");
    }

    /// <summary>Cuts the socket without a close handshake; the input pipe then ends with the socket's error.</summary>
    public override void Abort(ConnectionAbortedException abortReason) => _socket.Abort();

    /// <summary>
    /// Sends what the hub connection already wrote, then a close frame, and waits (at most <see cref="CloseTimeout"/>)
    /// for the server's answer, so the server sees a clean close rather than a dropped socket.
    /// </summary>
    public override async ValueTask DisposeAsync()
    {
        await _output.Writer.CompleteAsync();
        await _input.Reader.CompleteAsync();
        try
        {
            // The close handshake is already bounded by CloseTimeout; this only keeps a test's `await using` from
            // hanging the run if a socket ignores Abort.
            await _running.WaitAsync(CloseTimeout * 2);
        }
        catch (TimeoutException)
        {
            _socket.Abort();
        }

        await base.DisposeAsync();
    }

    private async Task RunAsync()
    {
        var receiving = ReceiveAsync();
        var sending = SendAsync();
        if (await Task.WhenAny(receiving, sending) == receiving)
        {
            // The server closed or the socket broke: stop sending, and the send loop answers a close frame.
            _output.Reader.CancelPendingRead();
        }
        else
        {
            try
            {
                await receiving.WaitAsync(CloseTimeout);
            }
            catch (TimeoutException)
            {
                // Our close frame went unanswered: cutting the socket ends the receive loop.
                _socket.Abort();
            }
        }

        await Task.WhenAll(receiving, sending);
        _socket.Dispose();
        await _closed.CancelAsync();
    }

    private async Task ReceiveAsync()
    {
        Exception? error = null;
        try
        {
            // After HubConnection stops reading, frames are still drained so the server's close frame is seen.
            byte[]? discard = null;
            while (true)
            {
                var buffer = discard ?? _input.Writer.GetMemory(ReceiveBufferSize);
                var result = await _socket.ReceiveAsync(buffer, CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close) break;
                if (discard is not null) continue;

                // Frame boundaries mean nothing to the hub protocol (messages end with their own separator), so each
                // read is handed over at once.
                _input.Writer.Advance(result.Count);
                var flush = await _input.Writer.FlushAsync();
                if (flush.IsCompleted) discard = new byte[ReceiveBufferSize];
            }
        }
        catch (Exception ex)
        {
            error = ex;
        }
        finally
        {
            await _input.Writer.CompleteAsync(error);
        }
    }

    private async Task SendAsync()
    {
        Exception? error = null;
        try
        {
            while (true)
            {
                var result = await _output.Reader.ReadAsync();
                var buffer = result.Buffer;
                try
                {
                    if (result.IsCanceled) break;
                    if (!buffer.IsEmpty) await SendMessageAsync(buffer);
                    if (result.IsCompleted) break;
                }
                finally
                {
                    _output.Reader.AdvanceTo(buffer.End);
                }
            }

            // Start the close handshake, or answer the server's; after an abort there is nobody left to tell.
            if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
            }
        }
        catch (Exception ex)
        {
            error = ex;
        }
        finally
        {
            // A failed send fails the hub connection's next write instead of leaving its invocations waiting.
            await _output.Reader.CompleteAsync(error);
        }
    }

    /// <summary>Sends one read's bytes as one WebSocket message, a frame per buffer segment.</summary>
    private async Task SendMessageAsync(ReadOnlySequence<byte> buffer)
    {
        var segments = buffer.GetEnumerator();
        segments.MoveNext();
        var current = segments.Current;
        while (segments.MoveNext())
        {
            await _socket.SendAsync(current, _messageType, endOfMessage: false, CancellationToken.None);
            current = segments.Current;
        }

        await _socket.SendAsync(current, _messageType, endOfMessage: true, CancellationToken.None);
    }

    private sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }
}
