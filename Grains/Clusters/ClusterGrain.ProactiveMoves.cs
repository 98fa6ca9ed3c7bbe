using Microsoft.Extensions.Logging;
using Orleans;
using SpotOptimizer.Grains.Interfaces.Clusters;
using SpotOptimizer.Grains.Interfaces.Market;
using SpotOptimizer.Grains.Interfaces.Optimization;

namespace SpotOptimizer.Grains.Clusters;

/// <summary>
/// Proactive moves: the region's pool index (<see cref="IPoolOccupancyGrain"/>) knows which pools this cluster runs
/// Spot nodes in, and tells it the moment one is flagged; the cluster then starts an optimize job at once (trigger
/// pool_flagged), which moves those nodes out as any run does (reason pool_flagged). The cluster keeps its entry in the
/// index current whenever its Spot nodes change (discovery, the agent's inventory, connect, unmanage, gone); after an
/// activation it writes it again on the first such change or optimize tick, so an entry the index lost heals itself.
/// </summary>
public sealed partial class ClusterGrain
{
    private const string HiveMindActor = "system:hive-mind";

    /// <summary>What the index was last told (memory only): null after activation, so the next sync writes it again.</summary>
    private IReadOnlyList<OccupiedPool>? _occupied;

    public async Task MoveOutOfFlaggedPool(FlaggedPool flag)
    {
        if (Discovery is not { } discovery) return;
        var now = time.GetUtcNow();
        if (flag.Until <= now) return;
        var outcome = await MoveOutAsync(discovery, flag, now);
        ProductMetrics.ProactiveMoves.Add(1, new KeyValuePair<string, object?>("reason", FlagReasons.Code(flag.Reason)),
            new KeyValuePair<string, object?>("outcome", outcome));
    }

    private async Task<string> MoveOutAsync(ClusterDiscovery discovery, FlaggedPool flag, DateTimeOffset now)
    {
        // The index may be behind the cluster (a node already moved): the cluster's own nodes decide, and correct the index.
        if (!SpotPools().Any(p => p.Zone == flag.Zone && p.InstanceType == flag.InstanceType))
        {
            _occupied = null;
            await SyncOccupancyAsync();
            return ProactiveMoveOutcomes.NotInPool;
        }

        var pool = $"{flag.Zone}/{flag.InstanceType}";
        var moves = state.State.ProactiveMoves;
        foreach (var expired in moves.Where(m => m.Value <= now).Select(m => m.Key).ToList()) moves.Remove(expired);
        if (moves.TryGetValue(pool, out var until) && until >= flag.Until) return ProactiveMoveOutcomes.AlreadyMoved;

        var cause = new FlagCause(Interfaces.Market.SpotPoolKeys.For(discovery.Region, flag.MarketZone, flag.InstanceType), flag.Reason, flag.Kind);
        var result = await StartJobAsync(discovery.OrganizationId, HiveMindActor, JobTriggers.PoolFlagged, cause);
        if (result?.Started is not { } started) return result?.Refusal ?? OptimizationRefusals.NotManaged;
        // Remembered only once a job runs for it: a notice refused (asleep, unmanaged) leaves the flag to the next run.
        moves[pool] = flag.Until;
        // The running job may be past reading the flags: it is followed up once it completes.
        if (started.AlreadyRunning) state.State.FlaggedDuringJob.Add(new FlaggedDuringJob(flag.Zone, flag.InstanceType, cause, flag.Until));
        await state.WriteStateAsync();
        return started.AlreadyRunning ? ProactiveMoveOutcomes.AlreadyRunning : ProactiveMoveOutcomes.Started;
    }

    /// <summary>
    /// After a job completes, the pools flagged while it ran are taken (the caller saves the state): the first that still
    /// holds and that the cluster still runs Spot nodes in causes one follow-up job (which moves them all); the rest are dropped.
    /// </summary>
    private FlaggedDuringJob? TakeFollowUp(DateTimeOffset now)
    {
        var flagged = state.State.FlaggedDuringJob;
        if (flagged.Count == 0) return null;
        var pools = SpotPools();
        var next = flagged.FirstOrDefault(f => f.Until > now && pools.Any(p => p.Zone == f.Zone && p.InstanceType == f.InstanceType));
        flagged.Clear();
        return next;
    }

    private async Task StartFollowUpAsync(FlaggedDuringJob next)
    {
        if (Discovery is not { } discovery) return;
        var result = await StartJobAsync(discovery.OrganizationId, HiveMindActor, JobTriggers.PoolFlagged, next.Cause);
        ProductMetrics.ProactiveMoves.Add(1, new KeyValuePair<string, object?>("reason", FlagReasons.Code(next.Cause.Reason)),
            new KeyValuePair<string, object?>("outcome", result?.Started is { AlreadyRunning: false } ? ProactiveMoveOutcomes.FollowedUp : result?.Refusal ?? OptimizationRefusals.NotManaged));
    }

    /// <summary>
    /// Tells the region's index the cluster's Spot pools when they differ from what it was last told: a managed cluster's
    /// Spot nodes (the agent's inventory once it reported, discovery's before), none for any other. A failure is logged and
    /// retried on the next change or tick; the caller (an inventory report, discovery) goes on.
    /// </summary>
    private async Task SyncOccupancyAsync()
    {
        if (Discovery is not { } discovery) return;
        IReadOnlyList<OccupiedPool> pools = state.State.Managed && !state.State.Gone ? SpotPools() : [];
        if (_occupied is not null && _occupied.SequenceEqual(pools)) return;
        try
        {
            await GrainFactory.GetGrain<IPoolOccupancyGrain>(discovery.Region)
                .Occupy(this.GetPrimaryKeyString(), new PoolOccupancy(HiveReporters.For(discovery.OrganizationId), pools));
            _occupied = pools;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            _occupied = null;
            LogOccupancyFailed(logger, exception, this.GetPrimaryKeyString());
        }
    }

    /// <summary>The cluster's Spot pools, with each zone's ID from the account's zone IDs discovery read (null when it could not).</summary>
    private List<OccupiedPool> SpotPools()
    {
        var zoneIds = Discovery?.ZoneIds;
        return [.. CurrentNodes().Where(n => n.Lifecycle == "spot")
            .Select(n => new OccupiedPool(zoneIds?.GetValueOrDefault(n.AvailabilityZone), n.AvailabilityZone, n.InstanceType))
            .Distinct()
            .OrderBy(p => p.Zone, StringComparer.Ordinal).ThenBy(p => p.InstanceType, StringComparer.Ordinal)];
    }

    [LoggerMessage(20, LogLevel.Warning, "Cluster {Cluster}: telling the pool index its Spot pools failed; retried on the next change")]
    private static partial void LogOccupancyFailed(ILogger logger, Exception exception, string cluster);
}
