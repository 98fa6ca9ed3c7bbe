namespace SpotOptimizer.Optimization.Market;

/// <summary>
/// Zone names are per account; zone IDs name the physical zone. The platform's shared knowledge (the market's prices,
/// the hive mind's flags) is kept in the market feed's names; a tenant's nodes and launches use the tenant's names.
/// This translates between the two through the IDs. A zone the other side lacks has no counterpart (null), so a tenant
/// is never offered a pool in a zone its account does not have. When either side's IDs are unknown, names are taken
/// as everyone's (the behaviour before IDs were known).
/// </summary>
public sealed class ZoneTranslation
{
    private readonly Dictionary<string, string>? _toTenant;
    private readonly Dictionary<string, string>? _toPlatform;

    private ZoneTranslation(Dictionary<string, string>? toTenant, Dictionary<string, string>? toPlatform)
    {
        _toTenant = toTenant;
        _toPlatform = toPlatform;
    }

    public static ZoneTranslation Identity { get; } = new(null, null);

    public bool IsIdentity => _toTenant is null;

    /// <param name="platformZoneIds">The market feed's zone name → zone ID.</param>
    /// <param name="tenantZoneIds">The tenant account's zone name → zone ID.</param>
    public static ZoneTranslation Between(IReadOnlyDictionary<string, string>? platformZoneIds, IReadOnlyDictionary<string, string>? tenantZoneIds)
    {
        if (platformZoneIds is not { Count: > 0 } || tenantZoneIds is not { Count: > 0 }) return Identity;
        var tenantById = tenantZoneIds.ToDictionary(z => z.Value, z => z.Key, StringComparer.Ordinal);
        var platformById = platformZoneIds.ToDictionary(z => z.Value, z => z.Key, StringComparer.Ordinal);
        return new(
            platformZoneIds.Where(z => tenantById.ContainsKey(z.Value)).ToDictionary(z => z.Key, z => tenantById[z.Value], StringComparer.Ordinal),
            tenantZoneIds.Where(z => platformById.ContainsKey(z.Value)).ToDictionary(z => z.Key, z => platformById[z.Value], StringComparer.Ordinal));
    }

    /// <summary>The tenant's name for the platform's zone; null when the tenant's account lacks that physical zone.</summary>
    public string? ToTenant(string platformZone) => _toTenant is null ? platformZone : _toTenant.GetValueOrDefault(platformZone);

    /// <summary>The platform's name for the tenant's zone; null when the market's view lacks that physical zone.</summary>
    public string? ToPlatform(string tenantZone) => _toPlatform is null ? tenantZone : _toPlatform.GetValueOrDefault(tenantZone);

    /// <summary>The market as the tenant sees it: pools renamed to the tenant's zones, pools in zones it lacks dropped.</summary>
    public MarketSnapshot ToTenant(MarketSnapshot market) => IsIdentity ? market : market with
    {
        Pools = [.. market.Pools
            .Select(q => (Quote: q, Zone: ToTenant(q.Pool.AvailabilityZone)))
            .Where(p => p.Zone is not null)
            .Select(p => p.Quote with { Pool = p.Quote.Pool with { AvailabilityZone = p.Zone! } })],
    };

    /// <summary>Flagged pools in the tenant's names; flags in zones it lacks cannot concern it.</summary>
    public IReadOnlySet<SpotPoolId> ToTenant(IEnumerable<SpotPoolId> pools) =>
        pools.Select(p => (Pool: p, Zone: ToTenant(p.AvailabilityZone)))
            .Where(p => p.Zone is not null)
            .Select(p => p.Pool with { AvailabilityZone = p.Zone! })
            .ToHashSet();
}
