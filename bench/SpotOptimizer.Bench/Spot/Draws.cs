namespace SpotOptimizer.Bench.Spot;

/// <summary>
/// The random draws of the benchmark's world (reclaims, AWS's warnings): seeded, so a seed replays the same world.
/// Kept in one place so that the interruption process and the warnings draw alike.
/// </summary>
internal static class Draws
{
    /// <summary>Knuth's method: fine for the small hourly means here. A mean ≤ 0 draws nothing and consumes no number.</summary>
    public static int Poisson(Random random, double mean)
    {
        if (mean <= 0) return 0;
        var limit = Math.Exp(-mean);
        var k = 0;
        for (var p = random.NextDouble(); p > limit; p *= random.NextDouble()) k++;
        return k;
    }

    /// <summary>A standard normal draw (Box–Muller).</summary>
    public static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    /// <summary>A uniform number in [0, 1) from a hash's top 53 bits.</summary>
    public static double Unit(ulong value) => (value >> 11) * (1.0 / (1UL << 53));

    /// <summary>SplitMix64's finaliser: a seed from seeds.</summary>
    public static ulong SplitMix(ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }
}
