using System.Text.RegularExpressions;

namespace SpotOptimizer.Cloud.Simulation;

/// <summary>
/// The Spot market replayed from a price-history file (<see cref="SpotPriceHistoryFile"/>), for every (AZ, type) pool
/// the file prices.
/// <para>
/// Time: simulated instant <see cref="Start"/> shows the file's <see cref="FirstChange"/>, and the file then plays at
/// real speed in laps of <see cref="Lap"/>, the whole days its changes span plus one, so the time of day of each change
/// is kept and a long-running demo never runs out of prices (times before <see cref="Start"/> loop backwards the same
/// way). By default <see cref="Start"/> is <see cref="FirstChange"/>: inside the file's range a pool shows the file's
/// own prices at their own times. A lap is circular: before a pool's first change in a lap its last price of the
/// previous lap holds, so every replayed pool has a price at every instant.
/// </para>
/// <para>
/// Types: a type the file prices somewhere in a region is replayed only; where the file lacks its pool, the zone has
/// no offer, as AWS does not offer every type in every zone. A type the file lacks in the whole region falls back to
/// the fallback source (the built-in model), so a one-type file still prices the demo clusters' types.
/// </para>
/// </summary>
internal sealed partial class ReplayedSpotPrices : ISpotPriceSource
{
    private readonly Dictionary<(string Zone, string Type), Series> _pools;
    private readonly HashSet<(string Region, string Type)> _replayedTypes;
    private readonly ISpotPriceSource _fallback;

    public ReplayedSpotPrices(IEnumerable<SpotPriceChange> changes, ISpotPriceSource fallback, DateTimeOffset? start = null)
    {
        var all = changes.ToList();
        if (all.Count == 0) throw new FormatException("the price history has no Linux/UNIX price changes");
        if (all.FirstOrDefault(c => RegionOf(c.AvailabilityZone) is null) is { } unplaced)
        {
            throw new FormatException($"'{unplaced.AvailabilityZone}' is not an availability-zone name such as us-east-1a; the simulator "
                + "places pools in regions by AZ name, so files keyed by AZ ID (use1-az4) cannot be replayed");
        }

        FirstChange = all.Min(c => c.Timestamp);
        Lap = TimeSpan.FromDays(Math.Floor((all.Max(c => c.Timestamp) - FirstChange).TotalDays) + 1);
        Start = start ?? FirstChange;
        _fallback = fallback;
        _pools = all.GroupBy(c => (c.AvailabilityZone, c.InstanceType))
            .ToDictionary(g => g.Key, g => Series.Of(g, FirstChange));
        _replayedTypes = _pools.Keys.Select(p => (RegionOf(p.Zone)!, p.Type)).ToHashSet();
    }

    /// <summary>The file's earliest price change.</summary>
    public DateTimeOffset FirstChange { get; }

    /// <summary>The simulated instant that shows <see cref="FirstChange"/>; every <see cref="Lap"/> from it the file starts over.</summary>
    public DateTimeOffset Start { get; }

    public TimeSpan Lap { get; }

    /// <summary>The replay of a file, with the built-in model of <paramref name="seed"/> for the types it lacks.</summary>
    public static ReplayedSpotPrices Load(string path, int seed, DateTimeOffset? start = null) =>
        new(SpotPriceHistoryFile.Load(path), new SpotPriceModel(seed), start);

    public SpotPrice? At(string zone, string instanceType, DateTimeOffset time)
    {
        if (!_pools.TryGetValue((zone, instanceType), out var series))
            return Replays(zone, instanceType) ? null : _fallback.At(zone, instanceType, time);
        var (lap, index) = InForce(series, time);
        return Price(zone, instanceType, series, lap, index);
    }

    public IEnumerable<SpotPrice> Between(string zone, string instanceType, DateTimeOffset start, DateTimeOffset end)
    {
        if (!_pools.TryGetValue((zone, instanceType), out var series))
            return Replays(zone, instanceType) ? [] : _fallback.Between(zone, instanceType, start, end);
        return Changes(zone, instanceType, series, start, end);
    }

    private IEnumerable<SpotPrice> Changes(string zone, string instanceType, Series series, DateTimeOffset start, DateTimeOffset end)
    {
        var (lap, index) = InForce(series, start);
        yield return Price(zone, instanceType, series, lap, index);
        while (true)
        {
            // Changes strictly increase within a lap and a lap is longer than the file, so this always moves forward.
            if (++index == series.Offsets.Length) (lap, index) = (lap + 1, 0);
            var next = Price(zone, instanceType, series, lap, index);
            if (next.Timestamp >= end) yield break;
            yield return next;
        }
    }

    /// <summary>The lap and change in force at a simulated instant (the previous lap's last change before a lap's first).</summary>
    private (long Lap, int Index) InForce(Series series, DateTimeOffset time)
    {
        var sinceStart = (time - Start).Ticks;
        var lap = Math.DivRem(sinceStart, Lap.Ticks, out var offset);
        if (offset < 0) (lap, offset) = (lap - 1, offset + Lap.Ticks);
        var found = Array.BinarySearch(series.Offsets, offset);
        var index = found >= 0 ? found : ~found - 1;
        return index >= 0 ? (lap, index) : (lap - 1, series.Offsets.Length - 1);
    }

    private SpotPrice Price(string zone, string instanceType, Series series, long lap, int index) =>
        new(zone, instanceType, series.Prices[index], Start + TimeSpan.FromTicks(lap * Lap.Ticks + series.Offsets[index]));

    private bool Replays(string zone, string instanceType) =>
        RegionOf(zone) is { } region && _replayedTypes.Contains((region, instanceType));

    /// <summary>us-east-1a → us-east-1; null for anything else (AZ IDs, local zones).</summary>
    internal static string? RegionOf(string zone) => ZonePattern().Match(zone) is { Success: true } m ? m.Groups["region"].Value : null;

    [GeneratedRegex(@"^(?<region>[a-z]{2}(-[a-z]+)+-\d)[a-z]$", RegexOptions.CultureInvariant)]
    private static partial Regex ZonePattern();

    /// <summary>One pool's changes as ticks after the file's first change, ascending; of equal times the file's last row wins.</summary>
    private sealed record Series(long[] Offsets, decimal[] Prices)
    {
        public static Series Of(IEnumerable<SpotPriceChange> changes, DateTimeOffset origin)
        {
            var byTime = new SortedDictionary<long, decimal>();
            foreach (var change in changes) byTime[(change.Timestamp - origin).Ticks] = change.PricePerHour;
            return new Series([.. byTime.Keys], [.. byTime.Values]);
        }
    }
}
