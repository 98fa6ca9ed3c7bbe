using Microsoft.Extensions.Logging;
using Orleans;
using Orleans.Utilities;
using SpotOptimizer.Grains.Interfaces.Feeds;

namespace SpotOptimizer.Grains.Feeds;

/// <summary>
/// Fans live-feed events out to the relays of every API instance. Relays renew their subscription every
/// <see cref="RelayRenewal"/>; one that stops renewing (its process died) lapses after <see cref="SubscriptionLifetime"/>.
/// Nothing is stored: a feed is live only, the ledger is the record.
/// </summary>
public sealed class FeedHubGrain(ILogger<FeedHubGrain> logger) : Grain, IFeedHubGrain
{
    public static readonly TimeSpan SubscriptionLifetime = TimeSpan.FromMinutes(2);
    public static readonly TimeSpan RelayRenewal = TimeSpan.FromSeconds(30);

    private readonly ObserverManager<IFeedObserver> _relays = new(SubscriptionLifetime, logger);

    public Task Subscribe(IFeedObserver relay)
    {
        _relays.Subscribe(relay, relay);
        return Task.CompletedTask;
    }

    public Task Unsubscribe(IFeedObserver relay)
    {
        _relays.Unsubscribe(relay);
        return Task.CompletedTask;
    }

    public Task Publish(FeedEvent feedEvent) => _relays.Notify(relay => relay.OnFeedEvent(feedEvent));
}
