using System.Diagnostics;

namespace SpotOptimizer.Bench.RuntimeBench;

/// <summary>
/// Open-loop, rate-limited load for latency: a few generator threads, each sending on a fixed schedule
/// (intended send times t0 + k·interval) to a random grain. Latency is measured from the intended send time
/// (so a stalled generator or a GC pause is charged to the calls it delayed: no coordinated omission) and, separately,
/// from the actual send (service time). A call that completes synchronously is recorded on the generator thread; on
/// Orleans every call completes on another thread and is recorded from a continuation.
/// </summary>
internal static class PacedLoad
{
    /// <param name="Calls">Calls sent whose intended time fell in the measured window.</param>
    /// <param name="Unsent">Calls of the window still unsent when the generators gave up (they fell too far behind).</param>
    /// <param name="AchievedRate">Calls sent per second of the time the generators needed to send them.</param>
    public sealed record Result(
        long Calls, long Unsent, long Asynchronous, double AchievedRate, LatencyHistogram FromIntended, LatencyHistogram Service,
        ProcessCounters.Window Window, LatencyHistogram GcPauses);

    public static Result Run(ICounterGrain[] grains, double rate, TimeSpan warmup, TimeSpan duration, int threads, int seed, GcPauseMonitor gc)
    {
        var interval = Stopwatch.Frequency * (double)threads / rate;
        var t0 = Stopwatch.GetTimestamp() + (Stopwatch.Frequency / 20);
        var recordFrom = t0 + (long)(warmup.TotalSeconds * Stopwatch.Frequency);
        var end = recordFrom + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var giveUp = end + (long)(duration.TotalSeconds * Stopwatch.Frequency); // bounded: never more than twice the duration
        var shared = new Shared(recordFrom);
        var generators = new Generator[threads];
        var workers = new Thread[threads];
        for (var i = 0; i < threads; i++)
        {
            var generator = generators[i] = new Generator(grains, new Random(seed + i), t0 + (interval * i / threads), interval, recordFrom, end, giveUp, shared);
            workers[i] = new Thread(generator.Run) { IsBackground = true, Name = $"paced-load-{i}" };
            workers[i].Start();
        }

        SleepUntil(recordFrom);
        gc.TakePauses();
        var start = ProcessCounters.Take();
        SleepUntil(end);
        var stop = ProcessCounters.Take();
        var pauses = gc.TakePauses();
        foreach (var worker in workers) worker.Join();
        SpinWait.SpinUntil(() => Volatile.Read(ref shared.Pending) == 0, TimeSpan.FromSeconds(35)); // the call timeout bounds this

        var fromIntended = shared.FromIntended;
        var service = shared.Service;
        long calls = 0, unsent = 0, asynchronous = 0, lastSent = end;
        foreach (var generator in generators)
        {
            fromIntended.Add(generator.FromIntended);
            service.Add(generator.Service);
            calls += generator.Calls;
            unsent += generator.Unsent;
            asynchronous += generator.Asynchronous;
            lastSent = Math.Max(lastSent, generator.LastSent);
        }

        var sending = (double)(lastSent - recordFrom) / Stopwatch.Frequency;
        return new Result(calls, unsent, asynchronous, calls / sending, fromIntended, service, stop.Since(start), pauses);
    }

    private static void SleepUntil(long timestamp)
    {
        while (Stopwatch.GetTimestamp() is var now && now < timestamp)
        {
            Thread.Sleep(TimeSpan.FromTicks(Math.Max(1, (timestamp - now) * TimeSpan.TicksPerSecond / Stopwatch.Frequency)));
        }
    }

    /// <summary>Where asynchronous completions record, from whatever thread they finish on.</summary>
    private sealed class Shared(long recordFrom)
    {
        public readonly LatencyHistogram FromIntended = new();
        public readonly LatencyHistogram Service = new();
        public readonly long RecordFrom = recordFrom;
        public long Pending;
    }

    private static readonly CounterBeat Beat = new(BenchTokens.Hash, "1.4.2", 12, 180);

    private sealed class Generator(
        ICounterGrain[] grains, Random random, double first, double interval, long recordFrom, long end, long giveUp, Shared shared)
    {
        /// <summary>Farther than this from the next send, the generator gives its core away (sched_yield) rather than spin.</summary>
        private static readonly long YieldAbove = Stopwatch.Frequency / 50_000; // 20 µs

        public LatencyHistogram FromIntended { get; } = new();

        public LatencyHistogram Service { get; } = new();

        public long Calls { get; private set; }

        public long Asynchronous { get; private set; }

        public long Unsent { get; private set; }

        public long LastSent { get; private set; }

        public long Checksum { get; private set; }

        public void Run()
        {
            var now = Stopwatch.GetTimestamp();
            for (var next = first; ; next += interval)
            {
                var intended = (long)next;
                if (intended >= end) return;
                if (now > giveUp)
                {
                    Unsent = (long)((end - Math.Max(next, recordFrom)) / interval) + 1;
                    return;
                }

                // Behind schedule, the previous call's completion time is this call's send time: one clock read per call.
                while (now < intended)
                {
                    if (intended - now > YieldAbove) Thread.Yield();
                    else Thread.SpinWait(4);
                    now = Stopwatch.GetTimestamp();
                }

                var call = grains[random.Next(grains.Length)].Beat(Beat);
                LastSent = now;
                var measured = intended >= recordFrom;
                if (measured) Calls++;
                if (call.IsCompleted)
                {
                    var done = Stopwatch.GetTimestamp();
                    if (measured)
                    {
                        FromIntended.RecordTicks(done - intended);
                        Service.RecordTicks(done - now);
                    }

                    Checksum += call.Result?.Beats ?? 0;
                    now = done;
                    continue;
                }

                if (measured) Asynchronous++;
                Interlocked.Increment(ref shared.Pending);
                call.ContinueWith(
                    static (_, state) => ((AsyncProbe)state!).Done(),
                    new AsyncProbe(shared, intended, now),
                    CancellationToken.None,
                    TaskContinuationOptions.ExecuteSynchronously,
                    TaskScheduler.Default);
                now = Stopwatch.GetTimestamp();
            }
        }
    }

    private sealed class AsyncProbe(Shared shared, long intended, long sent)
    {
        public void Done()
        {
            var done = Stopwatch.GetTimestamp();
            if (intended >= shared.RecordFrom)
            {
                shared.FromIntended.RecordTicksConcurrently(done - intended);
                shared.Service.RecordTicksConcurrently(done - sent);
            }

            Interlocked.Decrement(ref shared.Pending);
        }
    }
}
