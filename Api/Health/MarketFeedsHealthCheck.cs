using Microsoft.Extensions.Diagnostics.HealthChecks;
using Orleans;
using SpotOptimizer.Grains.Interfaces.Market;

namespace SpotOptimizer.Api.Health;

/// <summary>
/// The market's live sources (Spot prices, On-Demand price list, Spot Advisor) as they last reported. Degraded while
/// one serves a stale or fallback copy or has nothing: decisions go on with the buffer, so the instance stays in
/// rotation (a source of AWS's is down for every instance alike). No report at all (the simulated market) is healthy.
/// </summary>
internal sealed class MarketFeedsHealthCheck(IGrainFactory grains, TimeProvider time) : IHealthCheck
{
    public const string Name = "market_feeds";
    public const string FeedsKey = "feeds";

    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<FeedHealth> feeds;
        try
        {
            feeds = await grains.GetGrain<IMarketFeedHealthGrain>(IMarketFeedHealthGrain.Key).GetFeeds(time.GetUtcNow()).WaitAsync(cancellationToken);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, "The market feeds' health cannot be read.", exception);
        }

        // The feeds ride along, so /health lists each without asking the cluster again.
        var data = new Dictionary<string, object> { [FeedsKey] = feeds };
        var off = feeds.Where(f => f.State != FeedState.Healthy).Select(f => f.Region is null ? f.Feed : $"{f.Feed} ({f.Region})").ToList();
        if (off.Count > 0) return HealthCheckResult.Degraded($"Market feeds not healthy: {string.Join(", ", off)}.", data: data);
        return HealthCheckResult.Healthy(feeds.Count == 0 ? "No live market feed reports (the simulated market needs none)." : $"{feeds.Count} market feed(s) healthy.", data);
    }
}
