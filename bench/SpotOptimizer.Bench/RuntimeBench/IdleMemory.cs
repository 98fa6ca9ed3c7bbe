using System.Diagnostics;
using System.Globalization;

namespace SpotOptimizer.Bench.RuntimeBench;

/// <summary>
/// Memory per idle activation: activate many <see cref="IdleGrain"/>s (a small record plus one in-memory
/// [PersistentState]), drop every reference the harness held, force full blocking compacting GCs and compare
/// the managed heap and the working set with the same silo before activation.
/// </summary>
internal static class IdleMemory
{
    public sealed record Result(
        int Grains, int ActivationsCounted, long HeapDelta, long WorkingSetDelta, TimeSpan ActivationTime, TimeSpan StopTime)
    {
        public double BytesPerGrain => (double)HeapDelta / Grains;
    }

    public static async Task<Result> RunAsync(int count, int parallelism)
    {
        await using var silo = await BenchSilo.StartAsync();
        await silo.Grains.GetGrain<IIdleGrain>("warm-up").Touch(); // type caches, JIT, state-store dictionary exist before the baseline
        var before = Settle();
        var activationTime = await ActivateAsync(silo, count, parallelism);
        var activations = silo.Statistics.GetStatistics().Activations - 1;
        var after = Settle();
        var stopTime = await silo.StopAsync();
        return new Result(count, activations, after.Heap - before.Heap, after.WorkingSet - before.WorkingSet, activationTime, stopTime);
    }

    /// <summary>An EC2-like instance id: the kind of key SpotOptimizer grains have (19 characters).</summary>
    public static string Key(int i) => "i-" + i.ToString("x17", CultureInfo.InvariantCulture);

    private static async Task<TimeSpan> ActivateAsync(BenchSilo silo, int count, int parallelism)
    {
        var started = Stopwatch.GetTimestamp();
        var grains = silo.Grains;
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = parallelism }, async (i, _) =>
            await grains.GetGrain<IIdleGrain>(Key(i)).Touch());
        return Stopwatch.GetElapsedTime(started);
    }

    private static (long Heap, long WorkingSet) Settle()
    {
        for (var i = 0; i < 2; i++)
        {
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }

        var heap = GC.GetTotalMemory(forceFullCollection: true);
        using var process = Process.GetCurrentProcess();
        return (heap, process.WorkingSet64);
    }
}
