using Orleans;
using Orleans.Concurrency;

namespace SpotOptimizer.Grains.Interfaces.Market;

/// <summary>
/// The per-region index of which managed clusters run Spot nodes in which pools, keyed by region. Pools are matched by
/// zone ID and instance type, so a flag in the market's zone names finds the clusters
/// of every account, whatever each calls that zone. A new flag on a board (<see cref="IRiskBoardGrain"/>) is handed
/// here one-way, and only the clusters in the flagged pool are told to move out: a flag never asks every cluster of the
/// platform. Clusters keep their entry current whenever their Spot nodes change; it is persisted, so it survives a restart.
/// </summary>
public interface IPoolOccupancyGrain : IGrainWithStringKey
{
    /// <summary>The cluster's Spot pools now; none takes it out of the index. Written only when the entry changes.</summary>
    Task Occupy(string clusterId, PoolOccupancy occupancy);

    /// <summary>
    /// A board raised a new flag. One-way: the board (and the report behind it) never waits for the fan-out.
    /// <paramref name="reporter"/> is set for a tenant's own board: only that tenant's clusters are told.
    /// </summary>
    [OneWay]
    Task PoolFlagged(PoolFlag flag, string? reporter);

    [ReadOnly]
    Task<PoolOccupancyView> Get();
}

/// <param name="Reporter">The cluster's organization's <see cref="HiveReporters.For"/> id: matches a tenant's own board without naming the tenant.</param>
/// <param name="Pools">The cluster's Spot pools, sorted, distinct.</param>
[GenerateSerializer, Immutable]
public sealed record PoolOccupancy(string Reporter, IReadOnlyList<OccupiedPool> Pools);

/// <param name="ZoneId">The zone's ID; null when the account's role may not read zone IDs (the pool is then matched by name, as decisions take names as the market's then).</param>
/// <param name="Zone">The zone in the cluster's own account's name.</param>
[GenerateSerializer, Immutable]
public sealed record OccupiedPool(string? ZoneId, string Zone, string InstanceType);

/// <param name="Clusters">Clusters with at least one Spot pool indexed.</param>
/// <param name="FlagsSeen">New flags handed over since the index was activated.</param>
/// <param name="ClustersTold">Clusters told to move out since the index was activated.</param>
[GenerateSerializer, Immutable]
public sealed record PoolOccupancyView(int Clusters, int Pools, int FlagsSeen, int ClustersTold);
