namespace SpotOptimizer.Bench.RuntimeBench;

/// <summary>
/// Closed-loop throughput: N async caller loops, each awaiting one call at a time on a grain picked uniformly at
/// random (a seeded <see cref="Random"/> per caller). A call that completes synchronously never yields, so every loop
/// yields after <see cref="CallsPerYield"/> calls to let all callers take turns on the few pool threads.
/// </summary>
internal static class ClosedLoopLoad
{
    private const int CallsPerYield = 32;
    private const int Stride = 16; // longs per caller slot: two cache lines, no false sharing

    public sealed record Result(long Calls, long Synchronous, ProcessCounters.Window Window, LatencyHistogram GcPauses)
    {
        public double CallsPerSecond => Calls / Window.Elapsed.TotalSeconds;

        public double SynchronousShare => Calls == 0 ? 0 : (double)Synchronous / Calls;
    }

    public static async Task<Result> RunAsync(
        ICounterGrain[] grains, int callers, bool yieldingMethod, TimeSpan warmup, TimeSpan duration, int seed, GcPauseMonitor gc)
    {
        var progress = new long[callers * Stride];
        var control = new Control();
        var loops = new Task[callers];
        for (var i = 0; i < callers; i++)
        {
            var caller = i;
            loops[i] = Task.Run(() => CallerAsync(grains, yieldingMethod, new Random(seed + caller), progress, caller * Stride, control));
        }

        await Task.Delay(warmup);
        var (calls0, sync0) = Sum(progress);
        gc.TakePauses();
        var start = ProcessCounters.Take();
        await Task.Delay(duration);
        var end = ProcessCounters.Take();
        var pauses = gc.TakePauses();
        var (calls1, sync1) = Sum(progress);
        control.Stop = true;
        await Task.WhenAll(loops);
        return new Result(calls1 - calls0, sync1 - sync0, end.Since(start), pauses);
    }

    private static async Task<long> CallerAsync(
        ICounterGrain[] grains, bool yieldingMethod, Random random, long[] progress, int slot, Control control)
    {
        await Task.Yield();
        long calls = 0, synchronous = 0, checksum = 0;
        while (!control.Stop)
        {
            for (var i = 0; i < CallsPerYield; i++)
            {
                var grain = grains[random.Next(grains.Length)];
                var call = yieldingMethod ? grain.IncrementAfterYield() : grain.Increment();
                if (call.IsCompleted) synchronous++;
                checksum += await call;
            }

            calls += CallsPerYield;
            Volatile.Write(ref progress[slot], calls);
            Volatile.Write(ref progress[slot + 1], synchronous);
            await Task.Yield();
        }

        return checksum;
    }

    private static (long Calls, long Synchronous) Sum(long[] progress)
    {
        long calls = 0, synchronous = 0;
        for (var slot = 0; slot < progress.Length; slot += Stride)
        {
            calls += Volatile.Read(ref progress[slot]);
            synchronous += Volatile.Read(ref progress[slot + 1]);
        }

        return (calls, synchronous);
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
