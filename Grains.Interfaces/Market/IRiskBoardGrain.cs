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
    /// <summary>
    /// Raises or extends a pool's flag. A new one (the pool was not flagged on this board) is handed, one-way, to the
    /// region's <see cref="IPoolOccupancyGrain"/>, which moves the clusters running Spot nodes in the pool; an extension is not.
    /// </summary>
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

    /// <summary>A board's region, and the reporter whose own board it is (null for the region's shared board).</summary>
    public static (string Region, string? Reporter) Parse(string key)
    {
        var parts = key.Split('/');
        return parts.Length switch
        {
            1 => (key, null),
            3 when parts[1] == "own" => (parts[0], parts[2]),
            _ => throw new ArgumentException($"'{key}' is neither a region nor region/own/reporter.", nameof(key)),
        };
    }
}
