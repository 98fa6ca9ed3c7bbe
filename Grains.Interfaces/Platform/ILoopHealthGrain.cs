using Orleans;
using Orleans.Concurrency;

namespace SpotOptimizer.Grains.Interfaces.Platform;

/// <summary>
/// The cluster-wide record of background loops that failed (key <see cref="Key"/>), fed by every silo, read by
/// <c>/health</c> and the admins' worker view. A loop with <see cref="LoopStatus.FailingThreshold"/> failed runs in
/// the last <see cref="LoopStatus.Window"/> keeps failing: health says degraded until it stops.
/// </summary>
public interface ILoopHealthGrain : IGrainWithStringKey
{
    const string Key = "platform";

    [OneWay]
    Task RecordFailure(string loop, string errorCode, DateTimeOffset at);

    [ReadOnly]
    Task<IReadOnlyList<LoopStatus>> GetLoops(DateTimeOffset now);
}

/// <param name="FailedRuns">Failed runs since this record started (it lives in memory: a restart of its silo clears it).</param>
/// <param name="RecentFailures">Failed runs within <see cref="Window"/> before the reader's now.</param>
[GenerateSerializer, Immutable]
public sealed record LoopStatus(string Loop, long FailedRuns, int RecentFailures, DateTimeOffset? LastFailureAt, string? LastErrorCode)
{
    public const int FailingThreshold = 3;

    public static readonly TimeSpan Window = TimeSpan.FromMinutes(15);

    public bool Failing => RecentFailures >= FailingThreshold;
}

/// <summary>The background loops whose health is reported.</summary>
public static class LoopNames
{
    public const string Discovery = "discovery";
    public const string Hibernation = "hibernation";
    public const string MarketFeed = "market_feed";
    public const string Optimization = "optimization";

    public static readonly IReadOnlyList<string> All = [Discovery, Hibernation, MarketFeed, Optimization];
}
