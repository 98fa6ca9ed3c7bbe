using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SpotOptimizer.Runtime.Serialization;

namespace SpotOptimizer.Runtime.Streams;

/// <summary>Streams within one silo: a topic per stream id with a bounded, ordered queue per subscriber.</summary>
internal sealed class InProcessStreamProvider(IOptions<GrainRuntimeOptions> options, ILoggerFactory loggerFactory)
    : IStreamProvider, IAsyncDisposable
{
    private readonly ConcurrentDictionary<StreamId, StreamTopic> _topics = new();
    private readonly MessageCopier? _copier =
        options.Value.CopyMessagesViaSerializer ? new MessageCopier(options.Value.SerializerOptions) : null;

    internal ILogger Logger { get; } = loggerFactory.CreateLogger("SpotOptimizer.Runtime.Streams");

    internal int SubscriberCapacity => options.Value.StreamSubscriberCapacity;

    public IAsyncStream<T> GetStream<T>(StreamId id)
    {
        ArgumentException.ThrowIfNullOrEmpty(id.Namespace);
        ArgumentException.ThrowIfNullOrEmpty(id.Key);
        return new AsyncStream<T>(this, id);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var topic in _topics.Values) await topic.CloseAsync();
        _topics.Clear();
    }

    internal void Publish<T>(StreamId id, T item)
    {
        if (!_topics.TryGetValue(id, out var topic)) return;
        topic.Publish(_copier is null ? item : _copier.Copy(item, $"event on stream {id}"));
    }

    internal StreamSubscription Subscribe<T>(StreamId id, Func<T, CancellationToken, Task> onNext)
    {
        while (true)
        {
            var topic = _topics.GetOrAdd(id, static i => new StreamTopic(i));
            var subscriber = new Subscriber<T>(this, topic, onNext);
            if (topic.TryAdd(subscriber)) return subscriber;
        }
    }

    internal void Unsubscribe(StreamTopic topic, ISubscriber subscriber)
    {
        if (topic.RemoveAndCloseIfEmpty(subscriber)) _topics.TryRemove(KeyValuePair.Create(topic.Id, topic));
    }

    private sealed class AsyncStream<T>(InProcessStreamProvider provider, StreamId id) : IAsyncStream<T>
    {
        public StreamId Id => id;

        public Task OnNextAsync(T item)
        {
            provider.Publish(id, item);
            return Task.CompletedTask;
        }

        public Task<StreamSubscription> SubscribeAsync(Func<T, CancellationToken, Task> onNext)
        {
            ArgumentNullException.ThrowIfNull(onNext);
            return Task.FromResult(provider.Subscribe(id, onNext));
        }
    }
}
