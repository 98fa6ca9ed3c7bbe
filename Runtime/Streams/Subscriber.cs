using System.Threading.Channels;

namespace SpotOptimizer.Runtime.Streams;

/// <summary>One subscription: a bounded queue drained by a single loop, so its handler sees events one at a time, in order.</summary>
internal sealed class Subscriber<T> : StreamSubscription, ISubscriber
{
    private readonly InProcessStreamProvider _provider;
    private readonly StreamTopic _topic;
    private readonly Func<T, CancellationToken, Task> _onNext;
    private readonly Channel<T> _queue;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _drain;

    public Subscriber(InProcessStreamProvider provider, StreamTopic topic, Func<T, CancellationToken, Task> onNext)
    {
        _provider = provider;
        _topic = topic;
        _onNext = onNext;
        _queue = Channel.CreateBounded<T>(
            new BoundedChannelOptions(provider.SubscriberCapacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
            _ => Log.SubscriberLagging(provider.Logger, topic.Id.ToString()));
        _drain = Task.Run(DrainAsync);
    }

    public override StreamId StreamId => _topic.Id;

    public void Post(object? item)
    {
        if (item is T typed) _queue.Writer.TryWrite(typed);
        else if (item is null && default(T) is null) _queue.Writer.TryWrite(default!);
    }

    /// <summary>Unsubscribes: the handler is not called again, and a handler in progress sees its token cancelled.</summary>
    public override async ValueTask DisposeAsync()
    {
        _provider.Unsubscribe(_topic, this);
        _queue.Writer.TryComplete();
        await _stopping.CancelAsync();
        await _drain;
    }

    /// <summary>Shutdown: events already queued are still delivered; nothing new arrives.</summary>
    public async Task CloseAsync()
    {
        _queue.Writer.TryComplete();
        await _drain;
    }

    private async Task DrainAsync()
    {
        await foreach (var item in _queue.Reader.ReadAllAsync())
        {
            if (_stopping.IsCancellationRequested) return;
            try
            {
                await _onNext(item, _stopping.Token);
            }
            catch (Exception exception)
            {
                Log.SubscriberFailed(_provider.Logger, exception, _topic.Id.ToString());
            }
        }
    }
}
