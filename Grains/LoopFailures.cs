using Orleans;
using SpotOptimizer.Grains.Interfaces.Platform;

namespace SpotOptimizer.Grains;

/// <summary>Reports failed runs of the background loops to the cluster-wide <see cref="ILoopHealthGrain"/>.</summary>
public sealed class LoopFailures(IGrainFactory grains, TimeProvider time)
{
    public const string Discovery = LoopNames.Discovery;
    public const string Hibernation = LoopNames.Hibernation;
    public const string MarketFeed = LoopNames.MarketFeed;
    public const string Optimization = LoopNames.Optimization;

    /// <summary>One-way: reporting a failure must never fail (or slow) the loop that had it.</summary>
    public void Record(string loop, string errorCode = "error")
    {
        ProductMetrics.LoopFailures.Add(1, new KeyValuePair<string, object?>("loop", loop));
        _ = grains.GetGrain<ILoopHealthGrain>(ILoopHealthGrain.Key).RecordFailure(loop, errorCode, time.GetUtcNow());
    }
}
