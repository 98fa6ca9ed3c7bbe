using System.Collections.Concurrent;
using SpotOptimizer.Runtime.Streams;
using SpotOptimizer.Runtime.Tests.Grains;
using SpotOptimizer.Testing;

namespace SpotOptimizer.Runtime.Tests;

public sealed class StreamTests : IAsyncLifetime
{
    private TestSilo _silo = null!;

    private IStreamProvider Streams => _silo.Services.GetRequiredService<IStreamProvider>();

    public async Task InitializeAsync() =>
        _silo = await TestSilo.StartAsync(r => r.UseInMemoryStorage(), typeof(CounterGrain).Assembly,
            services: s => s.AddSingleton<ActivationJournal>().AddSingleton<TickCounter>());

    public async Task DisposeAsync() => await _silo.DisposeAsync();

    [Fact]
    public async Task Publish_ThousandEventsFromGrain_EachSubscriberGetsAllInOrder()
    {
        var first = new ConcurrentQueue<int>();
        var second = new ConcurrentQueue<int>();
        var stream = Streams.GetStream<Progress>(new StreamId("progress", "eks-prod"));
        await using var a = await stream.SubscribeAsync((p, _) => { first.Enqueue(p.Step); return Task.CompletedTask; });
        await using var b = await stream.SubscribeAsync(async (p, _) => { await Task.Yield(); second.Enqueue(p.Step); });

        await _silo.Grains.GetGrain<IPublisherGrain>("eks-prod").Publish(1000);

        await Eventually.Wait(() => first.Count + second.Count, n => n == 2000, what: "2000 deliveries");
        Assert.Equal(Enumerable.Range(1, 1000), first);
        Assert.Equal(Enumerable.Range(1, 1000), second);
    }

    [Fact]
    public async Task Publish_OtherStreamKey_NotDelivered()
    {
        var received = new ConcurrentQueue<string>();
        var mine = Streams.GetStream<Progress>(new StreamId("progress", "mine"));
        await using var subscription = await mine.SubscribeAsync((p, _) => { received.Enqueue(p.Cluster); return Task.CompletedTask; });

        await _silo.Grains.GetGrain<IPublisherGrain>("theirs").Publish(3);
        await _silo.Grains.GetGrain<IPublisherGrain>("mine").Publish(1);

        await Eventually.Wait(() => received.Count, n => n >= 1, what: "own event");
        Assert.Equal(["mine"], received);
    }

    [Fact]
    public async Task Subscriber_HandlerThrowsOnce_KeepsReceivingLaterEvents()
    {
        var received = new ConcurrentQueue<int>();
        var stream = Streams.GetStream<Progress>(new StreamId("progress", "flaky"));
        await using var subscription = await stream.SubscribeAsync((p, _) =>
        {
            if (p.Step == 2) throw new InvalidOperationException("handler bug");
            received.Enqueue(p.Step);
            return Task.CompletedTask;
        });

        await _silo.Grains.GetGrain<IPublisherGrain>("flaky").Publish(4);

        await Eventually.Wait(() => received.Count, n => n == 3, what: "events after the failure");
        Assert.Equal([1, 3, 4], received);
    }

    [Fact]
    public async Task Subscription_Disposed_ReceivesNothingMore()
    {
        var received = new ConcurrentQueue<int>();
        var stream = Streams.GetStream<Progress>(new StreamId("progress", "leaving"));
        var subscription = await stream.SubscribeAsync((p, _) => { received.Enqueue(p.Step); return Task.CompletedTask; });
        await stream.OnNextAsync(new Progress("leaving", 1));
        await Eventually.Wait(() => received.Count, n => n == 1, what: "first event");

        await subscription.DisposeAsync();
        var control = new ConcurrentQueue<int>();
        await using var stillSubscribed = await stream.SubscribeAsync((p, _) => { control.Enqueue(p.Step); return Task.CompletedTask; });
        await stream.OnNextAsync(new Progress("leaving", 2));
        await Eventually.Wait(() => control.Count, n => n == 1, what: "the control subscriber's event");

        Assert.Equal([1], received);
    }
}
