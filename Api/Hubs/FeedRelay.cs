using System.Text.Json;
using Microsoft.AspNetCore.SignalR;
using Orleans;
using SpotOptimizer.Grains.Interfaces.Accounts;
using SpotOptimizer.Grains.Interfaces.Feeds;
using SpotOptimizer.Grains.Interfaces.Lab;
using SpotOptimizer.Tenancy;

namespace SpotOptimizer.Api.Hubs;

/// <summary>
/// This API instance's end of the live feeds (the GPSTracker shape): subscribed to every feed hub grain, it receives
/// the events raised on any silo and pushes each to the SignalR group of its organization's feed. Renews its
/// subscriptions well inside their lifetime, so a hub grain that moved to another silo finds it again.
/// </summary>
internal sealed partial class FeedRelay(
    IGrainFactory grains,
    IHubContext<ActivityHub> activity,
    IHubContext<OnboardingHub> onboarding,
    IHubContext<LabHub> lab,
    TimeProvider time,
    ILogger<FeedRelay> logger) : BackgroundService, IFeedObserver
{
    /// <summary>How often subscriptions are renewed (the hubs drop one after two minutes without renewal).</summary>
    public static readonly TimeSpan Renewal = TimeSpan.FromSeconds(30);

    private static readonly JsonSerializerOptions LabTelemetryJson = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private IFeedObserver? _reference;

    public static string GroupOf(string feed, string organizationId) => $"{feed}:{organizationId}";

    public Task OnFeedEvent(FeedEvent feedEvent) => feedEvent.Feed switch
    {
        FeedNames.Activity => activity.Clients.Group(GroupOf(feedEvent.Feed, feedEvent.OrganizationId))
            .SendAsync(ActivityHub.Method, JsonSerializer.Deserialize<LedgerEntry>(feedEvent.Json)),
        FeedNames.Onboarding => onboarding.Clients.Group(GroupOf(feedEvent.Feed, feedEvent.OrganizationId))
            .SendAsync(OnboardingHub.Method, JsonSerializer.Deserialize<DiscoveryProgress>(feedEvent.Json)),
        FeedNames.Lab => lab.Clients.Group(GroupOf(feedEvent.Feed, feedEvent.OrganizationId))
            .SendAsync(LabHub.Method, JsonSerializer.Deserialize<LabTelemetry>(feedEvent.Json, LabTelemetryJson)),
        _ => Task.CompletedTask,
    };

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _reference = grains.CreateObjectReference<IFeedObserver>(this);
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
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (_reference is null) return;
        try
        {
            await Task.WhenAll(Enumerable.Range(0, FeedHubs.Count).Select(hub => grains.GetGrain<IFeedHubGrain>(hub).Unsubscribe(_reference)))
                .WaitAsync(TimeSpan.FromSeconds(2), cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // Shutting down: the hubs drop the subscription when it lapses anyway.
            LogRenewalFailed(logger, exception);
        }
    }

    [LoggerMessage(1, LogLevel.Warning, "Renewing this instance's live-feed subscriptions failed; retrying at the next renewal")]
    private static partial void LogRenewalFailed(ILogger logger, Exception exception);
}
