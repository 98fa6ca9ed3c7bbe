using System.Collections.Concurrent;
using System.Text.Json;
using Orleans;
using SpotOptimizer.Grains.Interfaces.Feeds;

namespace SpotOptimizer.Testing;

/// <summary>
/// Records the live-feed events of one organization, subscribed to its feed hub like an API instance's relay (a hub
/// carries several organizations' events; like the relay's SignalR groups, the recorder keeps only its own).
/// </summary>
public sealed class FeedRecorder : IFeedObserver, IAsyncDisposable
{
    private readonly ConcurrentQueue<FeedEvent> _events = new();
    private IGrainFactory _grains = null!;
    private IFeedHubGrain _hub = null!;
    private IFeedObserver _reference = null!;
    private string _organizationId = null!;

    public IReadOnlyCollection<FeedEvent> Events => _events;

    public static async Task<FeedRecorder> SubscribeAsync(IGrainFactory grains, string organizationId)
    {
        var recorder = new FeedRecorder { _grains = grains, _hub = grains.GetGrain<IFeedHubGrain>(FeedHubs.For(organizationId)), _organizationId = organizationId };
        recorder._reference = grains.CreateObjectReference<IFeedObserver>(recorder);
        await recorder._hub.Subscribe(recorder._reference);
        return recorder;
    }

    public Task OnFeedEvent(FeedEvent feedEvent)
    {
        if (feedEvent.OrganizationId == _organizationId) _events.Enqueue(feedEvent);
        return Task.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await _hub.Unsubscribe(_reference);
        _grains.DeleteObjectReference<IFeedObserver>(_reference);
    }
}

public static class FeedEvents
{
    public static T Read<T>(this FeedEvent feedEvent) => JsonSerializer.Deserialize<T>(feedEvent.Json)!;
}
