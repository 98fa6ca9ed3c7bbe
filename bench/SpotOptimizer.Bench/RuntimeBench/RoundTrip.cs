using System.Diagnostics;

namespace SpotOptimizer.Bench.RuntimeBench;

/// <summary>One caller, one call at a time, on one activated grain: the time a call costs when nothing else runs.</summary>
internal static class RoundTrip
{
    public static async Task<LatencyHistogram> RunAsync(ICounterGrain grain, TimeSpan warmup, TimeSpan duration)
    {
        var beat = new CounterBeat(BenchTokens.Hash, "1.4.2", 12, 180);
        var histogram = new LatencyHistogram();
        var recordFrom = Stopwatch.GetTimestamp() + (long)(warmup.TotalSeconds * Stopwatch.Frequency);
        var end = recordFrom + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        for (var now = Stopwatch.GetTimestamp(); now < end;)
        {
            _ = await grain.Beat(beat) ?? throw new InvalidOperationException("the counter refused the bench's token");
            var done = Stopwatch.GetTimestamp();
            if (now >= recordFrom) histogram.RecordTicks(done - now);
            now = done;
        }

        return histogram;
    }
}
