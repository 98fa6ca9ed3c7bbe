namespace SpotOptimizer.Runtime.Streams;

internal interface ISubscriber
{
    void Post(object? item);

    Task CloseAsync();
}

/// <summary>The subscribers of one stream. Publishing under the lock gives every subscriber the same order.</summary>
internal sealed class StreamTopic(StreamId id)
{
    private readonly Lock _lock = new();
    private ISubscriber[] _subscribers = [];
    private bool _closed;

    public StreamId Id => id;

    public void Publish(object? item)
    {
        lock (_lock)
        {
            foreach (var subscriber in _subscribers) subscriber.Post(item);
        }
    }

    /// <returns>False when the topic closed meanwhile: subscribe to a fresh one.</returns>
    public bool TryAdd(ISubscriber subscriber)
    {
        lock (_lock)
        {
            if (_closed) return false;
            _subscribers = [.. _subscribers, subscriber];
            return true;
        }
    }

    /// <returns>True when the last subscriber left and the topic closed.</returns>
    public bool RemoveAndCloseIfEmpty(ISubscriber subscriber)
    {
        lock (_lock)
        {
            _subscribers = Array.FindAll(_subscribers, s => !ReferenceEquals(s, subscriber));
            _closed = _subscribers.Length == 0;
            return _closed;
        }
    }

    public async Task CloseAsync()
    {
        ISubscriber[] subscribers;
        lock (_lock)
        {
            _closed = true;
            subscribers = _subscribers;
            _subscribers = [];
        }

        foreach (var subscriber in subscribers) await subscriber.CloseAsync();
    }
}
