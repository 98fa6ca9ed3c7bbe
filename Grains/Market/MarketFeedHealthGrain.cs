using Orleans;
using SpotOptimizer.Grains.Interfaces.Market;

namespace SpotOptimizer.Grains.Market;

public sealed class MarketFeedHealthGrain : Grain, IMarketFeedHealthGrain
{
    private readonly Dictionary<(string Feed, string Region), FeedReport> _latest = [];

    public Task Report(FeedReport report)
    {
        _latest[(report.Feed, report.Region ?? "")] = report;
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<FeedHealth>> GetFeeds(DateTimeOffset now) =>
        Task.FromResult<IReadOnlyList<FeedHealth>>([.. _latest
            .OrderBy(r => r.Key.Feed, StringComparer.Ordinal).ThenBy(r => r.Key.Region, StringComparer.Ordinal)
            .Select(r => r.Value)
            .Select(r => new FeedHealth(r.Feed, r.Region, r.State, r.LastGoodAt is { } at ? Math.Max(0, (now - at).TotalSeconds) : null, r.Detail))]);
}
