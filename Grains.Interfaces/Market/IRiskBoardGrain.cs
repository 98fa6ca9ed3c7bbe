using Orleans;
using Orleans.Concurrency;

namespace SpotOptimizer.Grains.Interfaces.Market;

/// <summary>
/// The hive mind's per-region snapshot, keyed by region: the pools flagged for every tenant, fed by the pool grains the
/// moment the evidence is strong enough. A decision reads it in one call instead of asking every pool grain
/// (SVC-RISK-GLB). The same grain keyed <see cref="RiskBoardKeys.Own"/> is one tenant's own board: the pools only its
/// own uncorroborated reports flagged. A tenant's decisions read both (<c>MarketReads.FlagsForAsync</c>).
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
public sealed record PoolFlag(string AvailabilityZone, string InstanceType, DateTimeOffset Until, string Kind, int Reports)
{
    /// <summary>Why the pool is flagged (<see cref="FlagReasons"/>); null on flags saved before reasons were kept.</summary>
    [Id(5)]
    public string? Reason { get; init; }
}

public static class RiskBoardKeys
{
    /// <summary>The tenant's own board in <paramref name="region"/>, by its opaque reporter id (<see cref="HiveReporters.For"/>).</summary>
    public static string Own(string region, string reporter) => $"{region}/own/{reporter}";
}
