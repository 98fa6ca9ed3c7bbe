using System.Diagnostics;
using Orleans;
using Orleans.Runtime;

namespace SpotOptimizer.Bench.RuntimeBench;

/// <summary>
/// Memory per idle activation: activate many <see cref="IdleClusterGrain"/>s (GUID key, a few fields, one in-memory
/// [PersistentState]) in a fresh silo, drop every reference the harness held, force full blocking compacting GCs and
/// compare the managed heap and the working set with the same silo before activation.
/// </summary>
internal static class IdleMemory
{
    public sealed record Result(
        int Grains, int ActivationsCounted, long HeapDelta, long WorkingSetDelta, long WorkingSetAfter, TimeSpan ActivationTime, TimeSpan StopTime)
    {
        public double BytesPerGrain => (double)HeapDelta / Grains;
    }

    public static async Task<Result> RunAsync(int count, int parallelism)
    {
        await using var silo = await BenchHost.StartSiloAsync();
        var management = silo.Grains.GetGrain<IManagementGrain>(0);
        var beat = new CounterBeat(BenchTokens.Hash, "1.4.2", 12, 180);
        await silo.Grains.GetGrain<IIdleClusterGrain>(Guid.NewGuid().ToString("D")).Touch(beat); // type caches, JIT, storage grains before the baseline
        var activationsBefore = await management.GetTotalActivationCount();
        var before = Settle();
        var activationTime = await ActivateAsync(silo.Grains, count, parallelism, beat);
        var activations = await management.GetTotalActivationCount() - activationsBefore;
        var after = Settle();
        var stopTime = await silo.StopAsync();
        return new Result(count, activations, after.Heap - before.Heap, after.WorkingSet - before.WorkingSet, after.WorkingSet, activationTime, stopTime);
    }

    private static async Task<TimeSpan> ActivateAsync(IGrainFactory grains, int count, int parallelism, CounterBeat beat)
    {
        var started = Stopwatch.GetTimestamp();
        // Keys as ClusterIds are: a GUID in its 36-character form.
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = parallelism }, async (_, _) =>
            await grains.GetGrain<IIdleClusterGrain>(Guid.NewGuid().ToString("D")).Touch(beat));
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
