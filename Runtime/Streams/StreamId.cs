namespace SpotOptimizer.Runtime.Streams;

/// <summary>A stream's address: a namespace (e.g. "cluster-activity") and a key within it (e.g. a cluster id).</summary>
public readonly record struct StreamId(string Namespace, string Key)
{
    public override string ToString() => $"{Namespace}/{Key}";
}

/// <summary>
/// Publish/subscribe by <see cref="StreamId"/>, so web code can follow a grain's events without the grain
/// knowing who listens. Each subscriber receives a stream's events in publish order.
/// </summary>
public interface IStreamProvider
{
    IAsyncStream<T> GetStream<T>(StreamId id);
}

public interface IAsyncStream<T>
{
    StreamId Id { get; }

    /// <summary>Hands the event to every current subscriber; completes once it is queued, not when it is handled.</summary>
    Task OnNextAsync(T item);

    /// <summary>Subscribes a handler; events are delivered one at a time, in order.</summary>
    Task<StreamSubscription> SubscribeAsync(Func<T, CancellationToken, Task> onNext);
}

/// <summary>An active subscription; dispose it to stop receiving.</summary>
public abstract class StreamSubscription : IAsyncDisposable
{
    public abstract StreamId StreamId { get; }

    public abstract ValueTask DisposeAsync();
}
