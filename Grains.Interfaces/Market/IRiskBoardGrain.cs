using Orleans;
using Orleans.Concurrency;

namespace SpotOptimizer.Grains.Interfaces.Market;

/// <summary>
/// The hive mind's per-region snapshot, keyed by region: the flagged pools, fed by the pool grains the moment a flag
/// is raised. A decision reads it in one call instead of asking every pool grain (SVC-RISK-GLB).
/// </summary>
public interface IRiskBoardGrain : IGrainWithStringKey
{
    Task Flag(PoolFlag flag);

    /// <summary>Flags still in force at the board's clock.</summary>
    [ReadOnly]
    Task<IReadOnlyList<PoolFlag>> GetFlags();
}

/// <param name="Reports">How many reports raised or extended the flag (never who sent them).</param>
[GenerateSerializer, Immutable]
public sealed record PoolFlag(string AvailabilityZone, string InstanceType, DateTimeOffset Until, string Kind, int Reports);
