using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace SpotOptimizer.Cloud.Simulation;

/// <summary>
/// The platform's view of the simulated market, outside any tenant's account: the current Spot price of every
/// catalog type in every zone of a region (replayed or built-in, as the tenants' market) (what the price collector reads from public Spot price history) and the
/// Spot Advisor buckets of the built-in catalog. Faults injected on <see cref="CloudActions.MarketFeed"/> fail it.
/// </summary>
public sealed partial class SimulatedCloud
{
    /// <summary>
    /// Spot Advisor interruption buckets (0: &lt;5% … 4: &gt;20%) for us-east-1 Linux, copied from the public feed
    /// (spot-advisor-data.json, mid-2025) for the built-in catalog, so the embedded default needs no data files.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, int> BuiltInAdvisorBuckets = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["t3.medium"] = 0, ["t3.large"] = 1, ["m5.large"] = 3, ["m5.xlarge"] = 4, ["m5.2xlarge"] = 2, ["c5.large"] = 0, ["c5.xlarge"] = 0,
        ["c5.2xlarge"] = 1, ["r5.large"] = 0, ["r5.xlarge"] = 3, ["m6g.large"] = 2, ["m6g.xlarge"] = 1, ["c6g.xlarge"] = 1,
    };

    /// <summary>The current price of every catalog type in each of <paramref name="region"/>'s zones.</summary>
    public Task<IReadOnlyList<SpotPrice>> PublicSpotPricesAsync(string region, CancellationToken cancellationToken = default) =>
        Run<IReadOnlyList<SpotPrice>>(CloudActions.MarketFeed, null, region, "current", cancellationToken, async now =>
        {
            var zones = ZonesOf((await _store.ReadAsync(cancellationToken)).World, region);
            return [.. (from type in InstanceCatalog.Types
                        from zone in zones
                        select _prices.At(zone, type.Name, now)).OfType<SpotPrice>()];
        });

    /// <summary>The zones of the market's view of the region: those of the first account that has the region.</summary>
    public IReadOnlyList<string> ZonesOf(string region) => ZonesOf(World, region);

    /// <summary>
    /// The market view's zones with their IDs. Public prices are quoted in the zone names of the account that reads
    /// them (on AWS, the platform's own); the simulator's market reads as the first account that has the region, so
    /// another account's zone is priced through its ID (<see cref="PhysicalZone"/>).
    /// </summary>
    public IReadOnlyList<AvailabilityZone> PublicZones(string region) => PublicZones(World, region);

    private static IReadOnlyList<string> ZonesOf(SimulatedWorld world, string region) =>
        MarketView(world, region).Region.AvailabilityZones;

    private static IReadOnlyList<AvailabilityZone> PublicZones(SimulatedWorld world, string region) => MarketZonesOf(world, region).Zones;

    private static (string AccountId, SimulatedRegion Region) MarketView(SimulatedWorld world, string region) =>
        world.Accounts.Select(a => (a.AccountId, Region: a.FindRegion(region))).FirstOrDefault(a => a.Region is not null) is ({ } id, { } found)
            ? (id, found)
            : (SimulatedWorld.DemoAccountId, SimulatedRegion.Empty(region));

    /// <summary>
    /// The market view's name for the physical zone behind <paramref name="zone"/> of <paramref name="accountId"/>, where
    /// its prices are kept; null when the market's view lacks that zone.
    /// </summary>
    private static string? PhysicalZone(SimulatedWorld world, string accountId, string region, string zone) =>
        MarketZonesOf(world, region).PhysicalZone(accountId, zone);

    // Every price query maps each of the account's zones to the market view's (a hash per zone ID): the worlds are
    // immutable, so each world's map is computed once and dropped with the world when an update replaces it.
    private static readonly ConditionalWeakTable<SimulatedWorld, ConcurrentDictionary<string, MarketZones>> ZoneMaps = new();

    private static MarketZones MarketZonesOf(SimulatedWorld world, string region) =>
        ZoneMaps.GetValue(world, _ => new ConcurrentDictionary<string, MarketZones>(StringComparer.Ordinal))
            .GetOrAdd(region, r =>
            {
                var (accountId, view) = MarketView(world, r);
                return new MarketZones(r, SimulatedNetwork.Zones(accountId, view));
            });

    /// <summary>The market view's zones of one region in one world, and every account zone's counterpart in it, each computed once.</summary>
    private sealed class MarketZones(string region, IReadOnlyList<AvailabilityZone> zones)
    {
        // The first name of an ID wins, as the linear search this replaces found it.
        private readonly Dictionary<string, string> _nameById = zones.GroupBy(z => z.ZoneId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First().ZoneName, StringComparer.Ordinal);
        private readonly ConcurrentDictionary<(string AccountId, string Zone), string?> _physical = new();

        public IReadOnlyList<AvailabilityZone> Zones { get; } = zones;

        public string? PhysicalZone(string accountId, string zone) =>
            _physical.GetOrAdd((accountId, zone), key => _nameById.GetValueOrDefault(SimulatedNetwork.ZoneId(key.AccountId, region, key.Zone)));
    }
}
