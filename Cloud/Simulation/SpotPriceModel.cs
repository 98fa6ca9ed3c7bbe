namespace SpotOptimizer.Cloud.Simulation;

/// <summary>
/// Deterministic Spot prices: each pool's price holds for <see cref="Step"/> and then moves to a value drawn from a
/// hash of (seed, pool, step) around the type's typical discount, so any time range can be replayed without state.
/// The embedded default's market, and the fallback of <see cref="ReplayedSpotPrices"/> for types a file lacks. It
/// prices exactly the types of <see cref="InstanceCatalog"/>, whose On-Demand prices it discounts.
/// </summary>
internal sealed class SpotPriceModel(int seed) : ISpotPriceSource
{
    public static readonly TimeSpan Step = TimeSpan.FromHours(6);

    public SpotPrice? At(string zone, string instanceType, DateTimeOffset time) =>
        InstanceCatalog.Find(instanceType) is { } type ? At(seed, zone, type, time) : null;

    public IEnumerable<SpotPrice> Between(string zone, string instanceType, DateTimeOffset start, DateTimeOffset end) =>
        InstanceCatalog.Find(instanceType) is { } type ? Between(seed, zone, type, start, end) : [];

    private static SpotPrice At(int seed, string zone, InstanceTypeSpec type, DateTimeOffset time)
    {
        var step = Math.DivRem(time.UtcTicks, Step.Ticks, out var rest) - (rest < 0 ? 1 : 0);
        return Price(seed, zone, type, step);
    }

    private static IEnumerable<SpotPrice> Between(int seed, string zone, InstanceTypeSpec type, DateTimeOffset start, DateTimeOffset end)
    {
        var first = At(seed, zone, type, start);
        yield return first;
        for (var at = first.Timestamp + Step; at < end; at += Step)
            yield return At(seed, zone, type, at);
    }

    private static SpotPrice Price(int seed, string zone, InstanceTypeSpec type, long step)
    {
        var pool = Fnv1a(zone + "/" + type.Name);
        var zoneBias = Unit(Mix((ulong)seed, pool, ulong.MaxValue)) * 0.2 - 0.1;
        var swing = Unit(Mix((ulong)seed, pool, (ulong)step)) * 0.3 - 0.15;
        var fraction = Math.Clamp(1 - type.SpotDiscount + zoneBias * (1 - type.SpotDiscount) + swing * (1 - type.SpotDiscount), 0.1, 0.95);
        var price = Math.Round(type.OnDemandPrice * (decimal)fraction, 4);
        return new SpotPrice(zone, type.Name, price, new DateTimeOffset(step * Step.Ticks, TimeSpan.Zero));
    }

    internal static double Unit(ulong value) => (value >> 11) * (1.0 / (1UL << 53));

    internal static ulong Mix(ulong a, ulong b, ulong c) => SplitMix(SplitMix(SplitMix(a) ^ b) ^ c);

    private static ulong SplitMix(ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }

    // string.GetHashCode is randomized per process; prices must not be.
    internal static ulong Fnv1a(string text)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in text) hash = (hash ^ c) * 1099511628211UL;
        return hash;
    }
}
