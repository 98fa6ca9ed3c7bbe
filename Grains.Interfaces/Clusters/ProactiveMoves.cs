using Orleans;

namespace SpotOptimizer.Grains.Interfaces.Clusters;

/// <summary>
/// What tells a cluster that a pool it runs Spot nodes in was just flagged: the pool in the cluster's own zone name
/// (<paramref name="Zone"/>) and in the market's (<paramref name="MarketZone"/>), and the flag's reason, kind and end.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record FlaggedPool(string Zone, string InstanceType, string MarketZone, string Reason, string Kind, DateTimeOffset Until);

/// <summary>
/// Why a job started on its own (trigger <c>pool_flagged</c>): the flagged pool in the market's zone name, the flag's
/// reason (<c>FlagReasons</c>) and kind (interruption or rebalance_recommendation).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record FlagCause(string Pool, string Reason, string Kind);

/// <summary>What a cluster did when told a pool it runs Spot nodes in was flagged (the metric's outcome tag).</summary>
public static class ProactiveMoveOutcomes
{
    public const string Started = "started";

    /// <summary>A job was already running: no second one now; a follow-up job starts when it completes (<see cref="FollowedUp"/>).</summary>
    public const string AlreadyRunning = "already_running";

    /// <summary>The follow-up job for a pool flagged while another job ran, started when that job completed.</summary>
    public const string FollowedUp = "followed_up";

    /// <summary>This flag already moved the cluster (a repeated notice).</summary>
    public const string AlreadyMoved = "already_moved";

    /// <summary>The cluster no longer runs Spot nodes in the pool (the index was behind): the index is corrected.</summary>
    public const string NotInPool = "not_in_pool";
}
