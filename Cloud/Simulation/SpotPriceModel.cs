namespace SpotOptimizer.Cloud.Simulation;

/// <summary>
/// Deterministic Spot prices: each pool's price holds for <see cref="Step"/> and then moves to a value drawn from a
/// hash of (seed, pool, step) around the type's typical discount, so any time range can be replayed without state.
/// The product's benchmarks replay real history from the shared data set; this is the embedded default's market.
/// </summary>
internal static class SpotPriceModel
{
    public static readonly TimeSpan Step = TimeSpan.FromHours(6);

    public static SpotPrice At(int seed, string zone, InstanceTypeSpec type, DateTimeOffset time)
    {
        var step = Math.DivRem(time.UtcTicks, Step.Ticks, out var rest) - (rest < 0 ? 1 : 0);
        return Price(seed, zone, type, step);
    }

    /// <summary>The price in force at <paramref name="start"/>, then every change before <paramref name="end"/>.</summary>
    public static IEnumerable<SpotPrice> Between(int seed, string zone, InstanceTypeSpec type, DateTimeOffset start, DateTimeOffset end)
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

    private static double Unit(ulong value) => (value >> 11) * (1.0 / (1UL << 53));

    private static ulong Mix(ulong a, ulong b, ulong c) => SplitMix(SplitMix(SplitMix(a) ^ b) ^ c);

    private static ulong SplitMix(ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }

    // string.GetHashCode is randomized per process; prices must not be.
    private static ulong Fnv1a(string text)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in text) hash = (hash ^ c) * 1099511628211UL;
        return hash;
    }
}
