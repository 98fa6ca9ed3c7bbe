using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;
using SpotOptimizer.Runtime.Streams;

namespace SpotOptimizer.Api.Hubs;

/// <summary>
/// Forwards a grain stream to a SignalR group, the GPSTracker way: grains publish to streams and never know about
/// SignalR; the web side subscribes once per stream, on the first connection that needs it.
/// </summary>
public sealed class StreamToHubBridge<THub, TEvent>(IStreamProvider streams, IHubContext<THub> hub) : IAsyncDisposable
    where THub : Hub
{
    private readonly ConcurrentDictionary<StreamId, Lazy<Task<StreamSubscription>>> _subscriptions = new();

    /// <summary>Makes sure the stream's events reach <see cref="HubGroups.Of"/> under the hub method <paramref name="method"/>.</summary>
    public Task EnsureForwardingAsync(StreamId stream, string method) =>
        _subscriptions.GetOrAdd(stream, s => new Lazy<Task<StreamSubscription>>(() =>
            streams.GetStream<TEvent>(s).SubscribeAsync((item, ct) => hub.Clients.Group(HubGroups.Of(s)).SendAsync(method, item, ct)))).Value;

    public async ValueTask DisposeAsync()
    {
        foreach (var subscription in _subscriptions.Values)
        {
            if (subscription.IsValueCreated) await (await subscription.Value).DisposeAsync();
        }
    }
}

public static class HubGroups
{
    /// <summary>The SignalR group that receives a stream's events.</summary>
    public static string Of(StreamId stream) => $"{stream.Namespace}:{stream.Key}";
}
