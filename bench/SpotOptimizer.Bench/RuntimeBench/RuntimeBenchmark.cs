using System.Diagnostics;
using static SpotOptimizer.Bench.ResultTable;

namespace SpotOptimizer.Bench.RuntimeBench;

/// <summary>
/// `runtime`: local grain-call throughput (uniform, contended, asynchronous), latency at half of the measured peak,
/// memory per idle activation, and a single-threaded cost breakdown of the inline call path.
/// </summary>
internal static class RuntimeBenchmark
{
    private const double ThroughputTarget = 1_000_000;
    private const double P99TargetMicros = 1_000;
    private const long MemoryTargetBytes = 1L << 30;
    private const int HotGrains = 16;

    public static async Task<int> RunAsync(BenchArgs args)
    {
        var duration = TimeSpan.FromSeconds(args.Int("duration", 10, 1, 600));
        var grainCount = args.Int("grains", 10_000, 1, 5_000_000);
        var callers = args.Int("callers", 64, 1, 10_000);
        var idleGrains = args.Int("idle-grains", 100_000, 1, 10_000_000);
        var seed = args.Int("seed", 42, 0, int.MaxValue);
        var waitIdle = TimeSpan.FromSeconds(args.Int("wait-idle", 0, 0, 3600));
        if (!BenchEnvironment.Start("runtime", args)) return 3;
        BenchEnvironment.WaitForQuietMachine(waitIdle);
        var warmup = TimeSpan.FromSeconds(Math.Clamp(duration.TotalSeconds / 4, 1, 3));
        var shortRun = TimeSpan.FromSeconds(Math.Max(1, duration.TotalSeconds / 2));
        // Half the cores generate the latency load: the other half stay free for the GC, the pool and other processes, as on
        // a server at half load (generators spinning on every core are descheduled for milliseconds whenever anything else runs).
        var threads = Math.Max(1, Environment.ProcessorCount / 2);
        Console.WriteLine($"Parameters: duration {duration.TotalSeconds} s (informational rows {shortRun.TotalSeconds} s), warm-up {warmup.TotalSeconds} s, " +
                          $"{N0(grainCount)} grains, {callers} callers, {HotGrains} hot grains, {N0(idleGrains)} idle grains, seed {seed}");
        Console.WriteLine();

        var table = new ResultTable("Runtime: in-process grain calls");
        var breakdown = new ResultTable("Single-threaded cost per operation, taken apart (informational)");
        var total = Stopwatch.StartNew();
        using var gc = new GcPauseMonitor();
        await using (var silo = await BenchSilo.StartAsync())
        {
            var grains = References(silo, "counter-", grainCount);
            var hot = References(silo, "hot-", HotGrains);
            var activation = Stopwatch.StartNew();
            await Parallel.ForEachAsync(grains.Concat(hot), new ParallelOptions { MaxDegreeOfParallelism = callers }, async (g, _) => await g.Increment());
            table.Add($"Activation of {N0(grainCount + HotGrains)} counter grains", $"{N0((grainCount + HotGrains) / activation.Elapsed.TotalSeconds)} activations/s",
                $"{callers} concurrent first calls; {N0(silo.Statistics.GetStatistics().Activations)} live activations");

            Progress($"uniform throughput: {callers} callers over {N0(grainCount)} grains, {warmup.TotalSeconds}+{duration.TotalSeconds} s");
            var uniform = await ClosedLoopLoad.RunAsync(grains, callers, yieldingMethod: false, warmup, duration, seed, gc);
            table.Add($"Throughput: {callers} callers → {N0(grainCount)} grains, sync method", $"{N0(uniform.CallsPerSecond)} calls/s",
                $"≥ {N0(ThroughputTarget)} calls/s", uniform.CallsPerSecond >= ThroughputTarget, Describe(uniform));

            Progress($"contended throughput: {callers} callers over {HotGrains} grains, {shortRun.TotalSeconds} s");
            var contended = await ClosedLoopLoad.RunAsync(hot, callers, yieldingMethod: false, TimeSpan.FromSeconds(1), shortRun, seed, gc);
            table.Add($"Throughput: {callers} callers → {HotGrains} grains (contended)", $"{N0(contended.CallsPerSecond)} calls/s", Describe(contended));

            Progress($"async-method throughput: {callers} callers over {N0(grainCount)} grains, {shortRun.TotalSeconds} s");
            var yielding = await ClosedLoopLoad.RunAsync(grains, callers, yieldingMethod: true, TimeSpan.FromSeconds(1), shortRun, seed, gc);
            table.Add($"Throughput: {callers} callers → {N0(grainCount)} grains, method awaits Task.Yield()", $"{N0(yielding.CallsPerSecond)} calls/s", Describe(yielding));

            Progress($"queued path: {callers} callers over {HotGrains} grains, method awaits Task.Yield(), {shortRun.TotalSeconds} s");
            var queued = await ClosedLoopLoad.RunAsync(hot, callers, yieldingMethod: true, TimeSpan.FromSeconds(1), shortRun, seed, gc);
            table.Add($"Throughput: {callers} callers → {HotGrains} grains, method awaits Task.Yield() (queued path)", $"{N0(queued.CallsPerSecond)} calls/s", Describe(queued));

            var rate = uniform.CallsPerSecond / 2;
            Progress($"latency: {N0(rate)} calls/s offered by {threads} paced threads, {warmup.TotalSeconds}+{duration.TotalSeconds} s");
            var paced = PacedLoad.Run(grains, rate, warmup, duration, threads, seed, gc);
            var p99 = paced.FromIntended.PercentileMicros(99);
            var unsent = paced.Unsent > 0 ? $"; **{N0(paced.Unsent)} calls never sent: the generators fell behind**" : "";
            table.Add($"Latency at 50 % of peak ({N0(rate)} calls/s offered, {N0(paced.AchievedRate)} achieved), from intended send time",
                Percentiles(paced.FromIntended), $"p99 < {N0(P99TargetMicros)} µs", p99 < P99TargetMicros && paced.Unsent == 0,
                $"{threads} generator thread(s), in calls {F(paced.Service.TotalNanos / (threads * paced.Calls / paced.AchievedRate * 1e7), 0)} % of their time; " +
                $"{N0(paced.Calls)} calls, {N0(paced.Asynchronous)} not completed synchronously{unsent}; {paced.Window.PerCall(paced.Calls)}; {GcPauseMonitor.Describe(paced.GcPauses)}");
            table.Add("Latency at 50 % of peak, service time (actual send → completion)", Percentiles(paced.Service), "excludes generator lateness");

            Progress("single-threaded cost breakdown");
            CostBreakdown.Measure(silo, grains, breakdown);
            Progress("stopping the silo");
            var stop = await silo.StopAsync();
            table.Add($"Graceful stop with {N0(grainCount + HotGrains + 1)} activations", $"{F(stop.TotalMilliseconds, 0)} ms");
        }

        Progress($"memory: activating {N0(idleGrains)} idle grains");
        var memory = await IdleMemory.RunAsync(idleGrains, callers);
        var memoryNote = $"{N0(memory.ActivationsCounted)} activations counted; working set +{F(memory.WorkingSetDelta / 1048576.0, 1)} MiB " +
                         $"({N0((double)memory.WorkingSetDelta / idleGrains)} B/grain)";
        table.Add($"Memory: {N0(idleGrains)} idle grains (small record + 1 persistent state), managed heap",
            $"{F(memory.HeapDelta / 1048576.0, 1)} MiB = {N0(memory.BytesPerGrain)} B/grain",
            "< 1 GiB per 100,000", memory.BytesPerGrain * 100_000 < MemoryTargetBytes, memoryNote);
        table.Add($"Activation of {N0(idleGrains)} grains with persistent state", $"{N0(idleGrains / memory.ActivationTime.TotalSeconds)} activations/s",
            $"{callers} concurrent first calls; graceful stop took {F(memory.StopTime.TotalMilliseconds, 0)} ms");

        table.Print();
        breakdown.Print();
        Console.WriteLine($"Total benchmark time: {F(total.Elapsed.TotalSeconds, 1)} s. {(table.Misses == 0 ? "All targets met." : $"{table.Misses} target(s) MISSED.")}");
        return table.Misses == 0 ? 0 : 1;
    }

    private static ICounterGrain[] References(BenchSilo silo, string prefix, int count) =>
        Enumerable.Range(0, count).Select(i => silo.Grains.GetGrain<ICounterGrain>(prefix + i.ToString(System.Globalization.CultureInfo.InvariantCulture))).ToArray();

    private static string Describe(ClosedLoopLoad.Result result) =>
        $"{F(result.SynchronousShare * 100, 1)} % completed synchronously; {result.Window.PerCall(result.Calls)}; {GcPauseMonitor.Describe(result.GcPauses)}";

    private static string Percentiles(LatencyHistogram histogram) =>
        $"p50 {F(histogram.PercentileMicros(50), 1)} / p99 {F(histogram.PercentileMicros(99), 1)} / p99.9 {F(histogram.PercentileMicros(99.9), 1)} µs (max {F(histogram.MaxMicros, 0)})";

    private static void Progress(string message) => Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {message}");
}
