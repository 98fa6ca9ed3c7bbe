namespace SpotOptimizer.Bench.RuntimeBench;

/// <summary>
/// Closed-loop throughput: N async caller loops, each awaiting one call at a time on a grain picked uniformly at
/// random (a seeded <see cref="Random"/> per caller). An Orleans call always completes on another thread, so the loops
/// share the pool threads without yielding themselves.
/// </summary>
internal static class ClosedLoopLoad
{
    private const int CallsPerPublish = 32;
    private const int Stride = 16; // longs per caller slot: two cache lines, no false sharing

    /// <param name="PoolThreads">Thread-pool threads at the end of the window (hill climbing moves it).</param>
    public sealed record Result(long Calls, ProcessCounters.Window Window, LatencyHistogram GcPauses, int PoolThreads)
    {
        public double CallsPerSecond => Calls / Window.Elapsed.TotalSeconds;
    }

    public static async Task<Result> RunAsync(ICounterGrain[] grains, int callers, TimeSpan warmup, TimeSpan duration, int seed, GcPauseMonitor gc)
    {
        var progress = new long[callers * Stride];
        var control = new Control();
        var loops = new Task[callers];
        var beat = new CounterBeat(BenchTokens.Hash, "1.4.2", 12, 180);
        for (var i = 0; i < callers; i++)
        {
            var caller = i;
            loops[i] = Task.Run(() => CallerAsync(grains, beat, new Random(seed + caller), progress, caller * Stride, control));
        }

        await Task.Delay(warmup);
        var calls0 = Sum(progress);
        gc.TakePauses();
        var start = ProcessCounters.Take();
        await Task.Delay(duration);
        var end = ProcessCounters.Take();
        var pauses = gc.TakePauses();
        var calls1 = Sum(progress);
        var threads = ThreadPool.ThreadCount;
        control.Stop = true;
        await Task.WhenAll(loops);
        return new Result(calls1 - calls0, end.Since(start), pauses, threads);
    }

    private static async Task<long> CallerAsync(ICounterGrain[] grains, CounterBeat beat, Random random, long[] progress, int slot, Control control)
    {
        await Task.Yield();
        long calls = 0, checksum = 0;
        while (!control.Stop)
        {
            for (var i = 0; i < CallsPerPublish; i++)
            {
                var ack = await grains[random.Next(grains.Length)].Beat(beat)
                          ?? throw new InvalidOperationException("a counter refused the bench's token: the grains under test are broken");
                checksum += ack.Beats;
            }

            calls += CallsPerPublish;
            Volatile.Write(ref progress[slot], calls);
        }

        return checksum;
    }

    private static long Sum(long[] progress)
    {
        long calls = 0;
        for (var slot = 0; slot < progress.Length; slot += Stride) calls += Volatile.Read(ref progress[slot]);
        return calls;
    }

    private sealed class Control
    {
        private volatile bool _stop;

        public bool Stop
        {
            get => _stop;
            set => _stop = value;
        }
    }
}
