using System.Collections.Concurrent;

namespace SpotOptimizer.Grains;

/// <summary>Failed runs of each background loop since the silo started, for the admins' worker health view.</summary>
public sealed class LoopFailures
{
    public const string Discovery = "discovery";
    public const string Hibernation = "hibernation";
    public const string MarketFeed = "market_feed";
    public const string Optimization = "optimization";

    private readonly ConcurrentDictionary<string, long> _failures = new(StringComparer.Ordinal);

    public void Record(string loop) => _failures.AddOrUpdate(loop, 1, (_, count) => count + 1);

    public long Count(string loop) => _failures.GetValueOrDefault(loop);
}
