using Microsoft.Extensions.Logging;
using Orleans;
using Orleans.Runtime;
using SpotOptimizer.Grains.Interfaces.Clusters;
using SpotOptimizer.Grains.Interfaces.Market;

namespace SpotOptimizer.Grains.Market;

[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed class PoolOccupancyState
{
    /// <summary>Each managed cluster of the region with Spot nodes: its tenant's reporter id and its pools.</summary>
    public Dictionary<string, PoolOccupancy> Clusters { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>
/// The region's pool → clusters index. Stored by cluster (what each cluster writes); the lookups by pool are rebuilt in
/// memory on activation. A flag in the market's zone name is matched as decisions translate zones
/// (<c>ZoneTranslation.Between</c>): by zone ID when both the market and the cluster's account know it, by name when
/// either does not. Each cluster found is told one-way: the index never waits on a cluster, and a slow one holds up no other.
/// </summary>
public sealed partial class PoolOccupancyGrain(
    [PersistentState("pool-occupancy")] IPersistentState<PoolOccupancyState> state,
    ILogger<PoolOccupancyGrain> logger) : Grain, IPoolOccupancyGrain
{
    // "zoneId/type" → clusters, for pools whose zone ID is known; "zone/type" (the account's name) → clusters, for all.
    private readonly Dictionary<string, Dictionary<string, OccupiedPool>> _byZoneId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, OccupiedPool>> _byZoneName = new(StringComparer.Ordinal);
    private IReadOnlyDictionary<string, string>? _marketZoneIds;
    private int _flagsSeen;
    private int _clustersTold;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        foreach (var (cluster, occupancy) in state.State.Clusters) Index(cluster, occupancy.Pools, add: true);
        return Task.CompletedTask;
    }

    public async Task Occupy(string clusterId, PoolOccupancy occupancy)
    {
        ArgumentException.ThrowIfNullOrEmpty(clusterId);
        var known = state.State.Clusters.GetValueOrDefault(clusterId);
        if (known is null ? occupancy.Pools.Count == 0 : known.Reporter == occupancy.Reporter && known.Pools.SequenceEqual(occupancy.Pools)) return;
        if (known is not null) Index(clusterId, known.Pools, add: false);
        if (occupancy.Pools.Count == 0) state.State.Clusters.Remove(clusterId);
        else
        {
            state.State.Clusters[clusterId] = occupancy;
            Index(clusterId, occupancy.Pools, add: true);
        }

        await state.WriteStateAsync();
    }

    public async Task PoolFlagged(PoolFlag flag, string? reporter)
    {
        _flagsSeen++;
        var zoneId = await MarketZoneIdAsync(flag.AvailabilityZone);
        var found = new Dictionary<string, OccupiedPool>(StringComparer.Ordinal);
        if (zoneId is not null && _byZoneId.TryGetValue(Key(zoneId, flag.InstanceType), out var byId))
        {
            foreach (var (cluster, pool) in byId) found[cluster] = pool;
        }

        if (_byZoneName.TryGetValue(Key(flag.AvailabilityZone, flag.InstanceType), out var byName))
        {
            // By name only where one side has no zone IDs: otherwise the same name is another account's other zone.
            foreach (var (cluster, pool) in byName.Where(c => zoneId is null || c.Value.ZoneId is null)) found.TryAdd(cluster, pool);
        }

        var told = 0;
        // An own board's flag is that tenant's claim alone: it moves that tenant's clusters and nobody else's.
        foreach (var (cluster, pool) in found.Where(c => reporter is null || state.State.Clusters[c.Key].Reporter == reporter))
        {
            await GrainFactory.GetGrain<IClusterGrain>(cluster).MoveOutOfFlaggedPool(
                new FlaggedPool(pool.Zone, pool.InstanceType, flag.AvailabilityZone, flag.Reason ?? flag.Kind, flag.Kind, flag.Until));
            told++;
        }

        _clustersTold += told;
        if (told > 0) LogTold(logger, this.GetPrimaryKeyString(), flag.AvailabilityZone, flag.InstanceType, flag.Reason, told);
    }

    public Task<PoolOccupancyView> Get() =>
        Task.FromResult(new PoolOccupancyView(state.State.Clusters.Count, _byZoneName.Count, _flagsSeen, _clustersTold));

    /// <summary>The market's ID of its zone name, null when the market has none; re-read when the zone is new to the cache.</summary>
    private async Task<string?> MarketZoneIdAsync(string zone)
    {
        if (_marketZoneIds is null || !_marketZoneIds.ContainsKey(zone))
            _marketZoneIds = await GrainFactory.GetGrain<IMarketGrain>(this.GetPrimaryKeyString()).GetZoneIds();
        return _marketZoneIds.GetValueOrDefault(zone);
    }

    private void Index(string cluster, IEnumerable<OccupiedPool> pools, bool add)
    {
        foreach (var pool in pools)
        {
            if (pool.ZoneId is { } id) Index(_byZoneId, Key(id, pool.InstanceType), cluster, pool, add);
            Index(_byZoneName, Key(pool.Zone, pool.InstanceType), cluster, pool, add);
        }
    }

    private static void Index(Dictionary<string, Dictionary<string, OccupiedPool>> lookup, string key, string cluster, OccupiedPool pool, bool add)
    {
        if (add)
        {
            if (!lookup.TryGetValue(key, out var clusters)) lookup[key] = clusters = new Dictionary<string, OccupiedPool>(StringComparer.Ordinal);
            clusters[cluster] = pool;
        }
        else if (lookup.TryGetValue(key, out var clusters) && clusters.Remove(cluster) && clusters.Count == 0)
        {
            lookup.Remove(key);
        }
    }

    private static string Key(string zone, string instanceType) => $"{zone}/{instanceType}";

    [LoggerMessage(1, LogLevel.Information, "Pool index {Region}: {Zone}/{Type} flagged ({Reason}); {Clusters} cluster(s) told to move out")]
    private static partial void LogTold(ILogger logger, string region, string zone, string type, string? reason, int clusters);
}
