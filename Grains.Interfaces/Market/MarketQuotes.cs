using Orleans;

namespace SpotOptimizer.Grains.Interfaces.Market;

/// <summary>
/// One region's market as a decision reads it, in one message: every priced pool with its recent hourly prices,
/// the On-Demand offers, and the instance types both refer to. <see cref="At"/>: when prices were last refreshed.
/// </summary>
[GenerateSerializer, Immutable]
/// <param name="ZoneIds">The feed's zone names → zone IDs (names are per account); null when the feed did not say.</param>
public sealed record MarketQuotes(
    string Region, DateTimeOffset At, IReadOnlyList<InstanceTypeSpec> Types, IReadOnlyList<PoolQuoteView> Pools, IReadOnlyList<OnDemandQuote> OnDemand,
    IReadOnlyDictionary<string, string>? ZoneIds = null);

/// <param name="Architecture">amd64 or arm64.</param>
[GenerateSerializer, Immutable]
public sealed record InstanceTypeSpec(
    string Name,
    string Family,
    string Category,
    int Generation,
    string Size,
    string Architecture,
    int VCpu,
    int MemoryMiB,
    int AllocatableCpuMillicores,
    int AllocatableMemoryMiB,
    int MaxPods,
    int GpuCount,
    string? GpuName);

/// <param name="HourlyHistory">Hourly prices, oldest first, ending with <paramref name="SpotPrice"/>.</param>
/// <param name="Stale">The last refresh brought no fresh price for the pool: this is the last known one.</param>
[GenerateSerializer, Immutable]
public sealed record PoolQuoteView(
    string AvailabilityZone, string InstanceType, double SpotPrice, double? OnDemandPrice, int? Bucket, IReadOnlyList<double> HourlyHistory, bool Stale);

[GenerateSerializer, Immutable]
public sealed record OnDemandQuote(string InstanceType, double PricePerHour);
