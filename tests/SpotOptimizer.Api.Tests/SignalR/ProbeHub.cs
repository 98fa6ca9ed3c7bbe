using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.SignalR;

namespace SpotOptimizer.Api.Tests.SignalR;

/// <summary>A hub with one method per client behaviour under test; what only the server sees goes to <see cref="HubProbe"/>.</summary>
public sealed class ProbeHub(HubProbe probe) : Hub
{
    public override async Task OnConnectedAsync()
    {
        // Stands in for JWT bearer auth, which reads the same query parameter on WebSocket requests.
        if (string.IsNullOrEmpty(AccessToken()))
        {
            probe.Rejected.TrySetResult();
            Context.Abort();
            return;
        }

        await base.OnConnectedAsync();
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        probe.Disconnected(Context.ConnectionId).TrySetResult(exception);
        return base.OnDisconnectedAsync(exception);
    }

    public string Echo(string text) => text;

    public string WhoAmI() => Context.ConnectionId;

    public string? AccessToken() => Context.GetHttpContext()?.Request.Query["access_token"];

    public Task PushToCaller(string text) => Clients.Caller.SendAsync("pushed", text);

    public Task Join(string group) => Groups.AddToGroupAsync(Context.ConnectionId, group);

    /// <summary>The group message goes first, so a client that got "all" but not "group" was left out, not slow.</summary>
    public async Task BroadcastToGroup(string group, string text)
    {
        await Clients.Group(group).SendAsync("group", text);
        await Clients.All.SendAsync("all", text);
    }

    public void Kick() => Context.Abort();
}

/// <summary>Server-side observations, awaited by tests instead of polled.</summary>
public sealed class HubProbe
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource<Exception?>> _disconnects = new();

    /// <summary>Completes when OnConnectedAsync turned a connection away for lack of a token.</summary>
    public TaskCompletionSource Rejected { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Server ends of sockets accepted on the raw WebSocket endpoint, in order.</summary>
    public Channel<RawSocketSession> RawSockets { get; } = Channel.CreateUnbounded<RawSocketSession>();

    /// <summary>Completes with the exception OnDisconnectedAsync got for that connection.</summary>
    public TaskCompletionSource<Exception?> Disconnected(string connectionId) =>
        _disconnects.GetOrAdd(connectionId, _ => new(TaskCreationOptions.RunContinuationsAsynchronously));
}

/// <summary>The server end of a plain WebSocket, kept open (its request pending) until the test releases or aborts it.</summary>
public sealed class RawSocketSession(WebSocket socket, HttpContext context)
{
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public WebSocket Socket { get; } = socket;

    internal Task Released => _released.Task;

    /// <summary>Drops the TCP connection (or TestServer's request) without a close frame.</summary>
    public void Abort() => context.Abort();

    /// <summary>Reads one whole message, or the close frame.</summary>
    public async Task<(WebSocketMessageType Type, byte[] Payload)> ReceiveMessageAsync()
    {
        using var payload = new MemoryStream();
        var buffer = new byte[1024];
        while (true)
        {
            var result = await Socket.ReceiveAsync(buffer, CancellationToken.None);
            payload.Write(buffer, 0, result.Count);
            if (result.EndOfMessage || result.MessageType == WebSocketMessageType.Close) return (result.MessageType, payload.ToArray());
        }
    }
}
