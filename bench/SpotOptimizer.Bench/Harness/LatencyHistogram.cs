using System.Diagnostics;
using System.Numerics;

namespace SpotOptimizer.Bench;

/// <summary>
/// An HdrHistogram-like log-linear histogram of nanoseconds: exact below 128 ns, then 64 linear buckets per power of two
/// (under 1.6 % relative error) up to about 2^40 ns (18 minutes). Recording never allocates.
/// </summary>
internal sealed class LatencyHistogram
{
    private const int LinearBits = 7; // values below 2^7 get their own bucket
    private const int SubBuckets = 1 << (LinearBits - 1); // 64 per octave above that
    private const int Octaves = 34;
    private static readonly double NanosPerTick = 1e9 / Stopwatch.Frequency;

    private readonly long[] _counts = new long[(1 << LinearBits) + (Octaves * SubBuckets)];
    private long _max;

    public long Count { get; private set; }

    /// <summary>Sum of the samples recorded with <see cref="Record"/>, in nanoseconds.</summary>
    public long TotalNanos { get; private set; }

    public void RecordTicks(long ticks) => Record((long)(ticks * NanosPerTick));

    public void Record(long nanos)
    {
        _counts[IndexOf(nanos)]++;
        Count++;
        TotalNanos += nanos;
        if (nanos > _max) _max = nanos;
    }

    /// <summary>For samples recorded from any thread (the rare asynchronous completions).</summary>
    public void RecordTicksConcurrently(long ticks)
    {
        var nanos = (long)(ticks * NanosPerTick);
        Interlocked.Increment(ref _counts[IndexOf(nanos)]);
        long seen;
        while (nanos > (seen = Volatile.Read(ref _max)) && Interlocked.CompareExchange(ref _max, nanos, seen) != seen)
        {
        }
    }

    /// <summary>Adds another histogram's counts (call when no thread records into either).</summary>
    public void Add(LatencyHistogram other)
    {
        for (var i = 0; i < _counts.Length; i++) _counts[i] += other._counts[i];
        Count = _counts.Sum();
        TotalNanos += other.TotalNanos;
        _max = Math.Max(_max, other._max);
    }

    public double MaxMicros => _max / 1000.0;

    /// <summary>The value at or below which <paramref name="percentile"/> % of samples fall, in microseconds (bucket upper bound).</summary>
    public double PercentileMicros(double percentile)
    {
        var total = _counts.Sum();
        if (total == 0) return double.NaN;
        var rank = (long)Math.Ceiling(total * percentile / 100.0);
        long seen = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            seen += _counts[i];
            if (seen >= rank) return Math.Min(UpperBound(i), _max) / 1000.0;
        }

        return _max / 1000.0;
    }

    private static int IndexOf(long nanos)
    {
        if (nanos < 0) nanos = 0;
        if (nanos < 1 << LinearBits) return (int)nanos;
        var magnitude = 63 - BitOperations.LeadingZeroCount((ulong)nanos); // >= LinearBits
        var shift = Math.Min(magnitude - (LinearBits - 1), Octaves); // sub = nanos >> shift is in [64, 128)
        var sub = (int)Math.Min(nanos >> shift, (2 * SubBuckets) - 1);
        return (1 << LinearBits) + ((shift - 1) * SubBuckets) + (sub - SubBuckets);
    }

    private static long UpperBound(int index)
    {
        if (index < 1 << LinearBits) return index;
        var shift = ((index - (1 << LinearBits)) / SubBuckets) + 1;
        var sub = ((index - (1 << LinearBits)) % SubBuckets) + SubBuckets;
        return ((long)(sub + 1) << shift) - 1;
    }
}
