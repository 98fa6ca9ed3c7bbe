using System.Globalization;

namespace SpotOptimizer.Optimization.Risk;

/// <summary>
/// Prediction ids derived from the request and model version: deterministic (no clock, no global random), so a
/// replayed decision carries the same ids, and distinct for distinct inputs.
/// </summary>
public static class PredictionIds
{
    public static string For(InterruptionPredictionRequest request, string modelVersion)
    {
        var f = request.Features;
        var a = Hash(14695981039346656037UL, modelVersion);
        a = Hash(a, f.InstanceType);
        a = Hash(a, f.AvailabilityZone);
        var b = Mix(a ^ (ulong)(f.HourOfDay * 7 + f.DayOfWeek));
        foreach (var price in f.SpotPriceHistory ?? [])
        {
            b = Mix(b ^ (ulong)BitConverter.DoubleToInt64Bits(price));
        }

        Span<byte> bytes = stackalloc byte[16];
        BitConverter.TryWriteBytes(bytes, Mix(a));
        BitConverter.TryWriteBytes(bytes[8..], b);
        return new Guid(bytes).ToString("D", CultureInfo.InvariantCulture);
    }

    private static ulong Hash(ulong hash, string? text)
    {
        foreach (var c in text ?? "") hash = (hash ^ c) * 1099511628211UL;
        return (hash ^ 0xFF) * 1099511628211UL;
    }

    private static ulong Mix(ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }
}
