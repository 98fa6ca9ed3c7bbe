using System.Diagnostics;
using SpotOptimizer.Runtime;
using SpotOptimizer.Runtime.Invocation;

namespace SpotOptimizer.Bench.RuntimeBench;

/// <summary>
/// Single-threaded cost of each step of an inline grain call, taken apart through the runtime's internals
/// (InternalsVisibleTo), so a throughput miss can be pinned to a step: ns and bytes allocated per operation.
/// </summary>
internal static class CostBreakdown
{
    private const int Iterations = 500_000;
    private const int HopIterations = 20_000; // rows that cross threads: each call waits for a pool thread
    private const int Runs = 5;

    public static void Measure(BenchSilo silo, ICounterGrain[] grains, ResultTable table)
    {
        var runtime = silo.Runtime;
        var reference = silo.Grains.GetGrain<ICounterGrain>("breakdown");
        reference.Increment().GetAwaiter().GetResult(); // activate
        var id = new GrainId(GrainTypeRegistryName(runtime), "breakdown");
        var method = typeof(ICounterGrain).GetMethod(nameof(ICounterGrain.Increment))!;
        var dispatch = MethodDispatch.For(method);
        var activation = runtime.Catalog.GetOrCreate(id);
        var plain = new CounterGrain();

        Row(table, "Plain method call on a grain object (no runtime)", n =>
        {
            long sum = 0;
            for (var i = 0; i < n; i++) sum += plain.Increment().Result;
            return sum;
        });
        Row(table, "Full call through a grain reference (idle grain, inline path)", n =>
        {
            long sum = 0;
            for (var i = 0; i < n; i++) sum += reference.Increment().Result;
            return sum;
        });
        var random = new Random(7);
        var picks = Enumerable.Range(0, Iterations).Select(_ => random.Next(grains.Length)).ToArray();
        Row(table, $"… the same on a random grain of {grains.Length:N0} (cache misses)", n =>
        {
            long sum = 0;
            for (var i = 0; i < n; i++) sum += grains[picks[i]].Increment().Result;
            return sum;
        });
        Row(table, "… the same via MethodDispatch.Send (skips DispatchProxy)", n =>
        {
            long sum = 0;
            object?[] noArguments = [];
            for (var i = 0; i < n; i++) sum += ((Task<long>)dispatch.Send(runtime, id, noArguments)).Result;
            return sum;
        });
        Row(table, "… MethodDispatch.For(MethodInfo) cache look-up", n =>
        {
            long sum = 0;
            for (var i = 0; i < n; i++) sum += MethodDispatch.For(method).ParameterTypes.Length;
            return sum;
        });
        Row(table, "… Catalog.GetOrCreate(GrainId) look-up", n =>
        {
            long sum = 0;
            for (var i = 0; i < n; i++) sum += runtime.Catalog.GetOrCreate(id).GetHashCode();
            return sum;
        });
        Row(table, "… TryEnterInline + ExitInline (two lock round trips)", n =>
        {
            long sum = 0;
            for (var i = 0; i < n; i++)
            {
                if (activation.TryEnterInline(readOnly: false)) sum++;
                activation.ExitInline(readOnly: false);
            }

            return sum;
        });
        Row(table, "… Instruments.StartCall + Complete (no listener)", n =>
        {
            long sum = 0;
            for (var i = 0; i < n; i++)
            {
                var scope = runtime.Instruments.StartCall(dispatch.Name, id);
                scope.Complete(Task.CompletedTask);
                sum += scope.StartedAt;
            }

            return sum;
        });
        Row(table, "Async method through a reference (inline start, awaits Task.Yield(), caller blocks)", n =>
        {
            long sum = 0;
            for (var i = 0; i < n; i++) sum += reference.IncrementAfterYield().GetAwaiter().GetResult();
            return sum;
        }, HopIterations);
        Row(table, "Queued call: grain busy at send, dispatched on the pool, caller blocks", n =>
        {
            long sum = 0;
            for (var i = 0; i < n; i++)
            {
                while (!activation.TryEnterInline(readOnly: false)) Thread.SpinWait(1); // the previous turn may still be finishing
                var call = reference.Increment();
                activation.ExitInline(readOnly: false);
                sum += call.GetAwaiter().GetResult();
            }

            return sum;
        }, HopIterations);
        Row(table, "GetGrain<ICounterGrain>(key): creating a reference", n =>
        {
            long sum = 0;
            for (var i = 0; i < n; i++) sum += silo.Grains.GetGrain<ICounterGrain>("breakdown").GetHashCode();
            return sum;
        });
    }

    private static string GrainTypeRegistryName(GrainRuntime runtime) =>
        runtime.Registry.ForInterface(typeof(ICounterGrain)).TypeName;

    /// <summary>Median of several timed runs, after one warm-up run (tiered JIT and on-stack replacement).</summary>
    /// <remarks>Bytes are counted process-wide (GC.GetTotalAllocatedBytes), so work a call moves to pool threads is included.</remarks>
    private static void Row(ResultTable table, string step, Func<int, long> body, int iterations = Iterations)
    {
        body(iterations);
        var nanos = new double[Runs];
        var bytes = new double[Runs];
        for (var run = 0; run < Runs; run++)
        {
            var allocated = GC.GetTotalAllocatedBytes(precise: true);
            var started = Stopwatch.GetTimestamp();
            body(iterations);
            nanos[run] = Stopwatch.GetElapsedTime(started).TotalNanoseconds / iterations;
            bytes[run] = (double)(GC.GetTotalAllocatedBytes(precise: true) - allocated) / iterations;
        }

        Array.Sort(nanos);
        Array.Sort(bytes);
        table.Add(step, $"{ResultTable.F(nanos[Runs / 2], 1)} ns", $"{ResultTable.F(bytes[Runs / 2], 0)} B allocated/op");
    }
}
