using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans;
using SpotOptimizer.Grains.Interfaces.Feeds;
using SpotOptimizer.Tenancy;

namespace SpotOptimizer.Notifications.Feeds;

/// <summary>
/// Watches committed ledger entries on every feed hub (as the API's SignalR relay does) and raises the ones rules
/// subscribe to. Every instance watches every entry; the outbox's unique key makes the first enqueue the only one.
/// The hub's call returns at once: entries are queued in memory and raised on this service's own loop.
/// </summary>
public sealed partial class LedgerNotificationRelay(IGrainFactory grains, INotificationCenter center, TimeProvider time, ILogger<LedgerNotificationRelay> logger)
    : BackgroundService, IFeedObserver
{
    private static readonly TimeSpan Renewal = TimeSpan.FromSeconds(30);
    private readonly Channel<LedgerEntry> _entries = Channel.CreateBounded<LedgerEntry>(new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropOldest });
    private IFeedObserver? _reference;

    public Task OnFeedEvent(FeedEvent feedEvent)
    {
        if (feedEvent.Feed == FeedNames.Activity && JsonSerializer.Deserialize<LedgerEntry>(feedEvent.Json) is { } entry) _entries.Writer.TryWrite(entry);
        return Task.CompletedTask;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _reference = grains.CreateObjectReference<IFeedObserver>(this);
        var raising = RaiseAsync(stoppingToken);
        using var renewal = new PeriodicTimer(Renewal, time);
        do
        {
            try
            {
                await Task.WhenAll(Enumerable.Range(0, FeedHubs.Count).Select(hub => grains.GetGrain<IFeedHubGrain>(hub).Subscribe(_reference)));
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // The cluster may be starting or losing a silo; the next renewal tries again.
                LogRenewalFailed(logger, exception);
            }
        }
        while (await renewal.WaitForNextTickAsync(stoppingToken));
        await raising;
    }

    private async Task RaiseAsync(CancellationToken stoppingToken)
    {
        await foreach (var entry in _entries.Reader.ReadAllAsync(stoppingToken))
        {
            if (LedgerEvents.From(entry) is not { } notification) continue;
            try
            {
                await center.RaiseAsync(notification, stoppingToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                LogRaiseFailed(logger, exception, entry.Id, entry.Action);
            }
        }
    }

    [LoggerMessage(1, LogLevel.Warning, "Renewing the notification relay's feed subscriptions failed; retrying at the next renewal")]
    private static partial void LogRenewalFailed(ILogger logger, Exception exception);

    [LoggerMessage(2, LogLevel.Error, "Queuing notifications for ledger entry {Id} ({Action}) failed")]
    private static partial void LogRaiseFailed(ILogger logger, Exception exception, long id, string action);
}
