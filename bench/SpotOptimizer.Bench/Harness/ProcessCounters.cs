using System.Diagnostics;

namespace SpotOptimizer.Bench;

/// <summary>
/// Process-wide counters read before and after a measured window, so a row can say what each call cost besides time:
/// bytes allocated, thread-pool work items (hops), monitor contentions, GCs and CPU.
/// </summary>
internal readonly record struct ProcessCounters(
    long Timestamp,
    long AllocatedBytes,
    long WorkItems,
    long LockContentions,
    int Gen0,
    int Gen1,
    int Gen2,
    TimeSpan GcPause,
    TimeSpan Cpu,
    long MachineBusyTicks,
    long MachineTotalTicks)
{
    public static ProcessCounters Take()
    {
        using var process = Process.GetCurrentProcess();
        var machine = ReadMachineCpu();
        return new(
            Stopwatch.GetTimestamp(),
            GC.GetTotalAllocatedBytes(precise: true),
            ThreadPool.CompletedWorkItemCount,
            Monitor.LockContentionCount,
            GC.CollectionCount(0),
            GC.CollectionCount(1),
            GC.CollectionCount(2),
            GC.GetTotalPauseDuration(),
            process.TotalProcessorTime,
            machine.Busy,
            machine.Total);
    }

    /// <summary>What happened between <paramref name="start"/> and this snapshot.</summary>
    public Window Since(ProcessCounters start) => new(
        Stopwatch.GetElapsedTime(start.Timestamp, Timestamp),
        AllocatedBytes - start.AllocatedBytes,
        WorkItems - start.WorkItems,
        LockContentions - start.LockContentions,
        Gen0 - start.Gen0,
        Gen1 - start.Gen1,
        Gen2 - start.Gen2,
        GcPause - start.GcPause,
        Cpu - start.Cpu,
        MachineTotalTicks == 0 ? double.NaN : (double)(MachineBusyTicks - start.MachineBusyTicks) / (MachineTotalTicks - start.MachineTotalTicks));

    /// <summary>All CPUs' busy and total jiffies from /proc/stat (zeros where there is no such file).</summary>
    private static (long Busy, long Total) ReadMachineCpu()
    {
        try
        {
            var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
                .Select(f => long.Parse(f, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            var total = fields.Take(8).Sum(); // user nice system idle iowait irq softirq steal
            return (total - fields[3] - fields[4], total);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or FormatException)
        {
            return (0, 0);
        }
    }

    public readonly record struct Window(
        TimeSpan Elapsed,
        long AllocatedBytes,
        long WorkItems,
        long LockContentions,
        int Gen0,
        int Gen1,
        int Gen2,
        TimeSpan GcPause,
        TimeSpan Cpu,
        double MachineBusyShare)
    {
        /// <summary>Two windows as one (e.g. the rounds of one kind of load): counts add up, the machine's share is time-weighted.</summary>
        public Window Plus(Window other) => new(
            Elapsed + other.Elapsed,
            AllocatedBytes + other.AllocatedBytes,
            WorkItems + other.WorkItems,
            LockContentions + other.LockContentions,
            Gen0 + other.Gen0,
            Gen1 + other.Gen1,
            Gen2 + other.Gen2,
            GcPause + other.GcPause,
            Cpu + other.Cpu,
            ((MachineBusyShare * Elapsed.TotalSeconds) + (other.MachineBusyShare * other.Elapsed.TotalSeconds)) / (Elapsed + other.Elapsed).TotalSeconds);

        /// <summary>CPU used as a share of all cores over the window (1.0 = every core busy).</summary>
        public double CpuShare => Cpu / (Elapsed * Environment.ProcessorCount);

        /// <summary>CPU used by every other process, as a share of all cores.</summary>
        public double OthersShare => double.IsNaN(MachineBusyShare) ? 0 : Math.Max(0, MachineBusyShare - CpuShare);

        /// <summary>Above this share of the CPU used by other processes, a row measured them as much as the code under test.</summary>
        public bool IsNoisy => OthersShare > 0.10;

        /// <summary>A warning for the start of the Notes column, or nothing.</summary>
        public string NoiseWarning => IsNoisy ? $"**noisy: other processes used {ResultTable.F(OthersShare * 100, 0)} % of the CPU** " : "";

        /// <summary>A compact per-call cost line for the Notes column.</summary>
        public string PerCall(long calls) => calls == 0
            ? "no calls"
            : $"{ResultTable.F(Cpu.TotalNanoseconds / calls, 0)} ns CPU/call, {ResultTable.F((double)AllocatedBytes / calls, 0)} B/call, {ResultTable.F((double)WorkItems / calls, 2)} pool items/call, " +
              $"{ResultTable.N0(LockContentions / Elapsed.TotalSeconds)} lock contentions/s, GCs gen0/1/2 {Gen0}/{Gen1}/{Gen2}, " +
              $"CPU {ResultTable.F(CpuShare * 100, 0)} % (other processes {ResultTable.F(OthersShare * 100, 0)} %)";
    }
}
