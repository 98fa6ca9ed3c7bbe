using Orleans;
using Orleans.Concurrency;

namespace SpotOptimizer.Grains.Interfaces.Feeds;

/// <summary>
/// Carries live-feed events from whoever raises them (a grain on any silo, the ledger after a commit) to every API
/// instance, each of which pushes them to its own SignalR clients (the GPSTracker shape: grains never see SignalR).
/// Events are spread over <see cref="FeedHubs.Count"/> hubs by organization; every API instance subscribes to all.
/// </summary>
public interface IFeedHubGrain : IGrainWithIntegerKey
{
    /// <summary>Subscribes (or renews) an API instance's relay; a subscription not renewed within two minutes lapses.</summary>
    Task Subscribe(IFeedObserver relay);

    Task Unsubscribe(IFeedObserver relay);

    /// <summary>Fire and forget: a slow or dead relay never delays the code that raised the event.</summary>
    [OneWay]
    Task Publish(FeedEvent feedEvent);
}

/// <summary>An API instance's end of the live feeds.</summary>
public interface IFeedObserver : IGrainObserver
{
    Task OnFeedEvent(FeedEvent feedEvent);
}

/// <summary>One event of one organization's feed.</summary>
/// <param name="Feed">Which feed: <see cref="FeedNames.Activity"/> or <see cref="FeedNames.Onboarding"/>.</param>
/// <param name="Json">The event as JSON (the payload types live on both sides of this contract, not in it).</param>
[GenerateSerializer, Immutable]
public sealed record FeedEvent(string Feed, string OrganizationId, string Json);

public static class FeedNames
{
    /// <summary>Ledger entries as they commit.</summary>
    public const string Activity = "activity";

    /// <summary>Discovery progress while an account is scanned.</summary>
    public const string Onboarding = "onboarding";

    /// <summary>Lab experiment telemetry for super admins; its events carry the experiment id where others carry the organization.</summary>
    public const string Lab = "lab";
}

public static class FeedHubs
{
    public const int Count = 4;

    /// <summary>
    /// The hub an organization's events go through, the same on every process (FNV-1a; string.GetHashCode is
    /// randomized per process), so one organization's events pass one hub and stay in order.
    /// </summary>
    public static long For(string organizationId)
    {
        var hash = 2166136261u;
        foreach (var c in organizationId) hash = (hash ^ c) * 16777619u;
        return hash % Count;
    }
}
