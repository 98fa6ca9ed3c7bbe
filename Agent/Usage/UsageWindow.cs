namespace SpotOptimizer.Agent.Usage;

/// <summary>Per-pod percentiles of one workload and the time and samples they cover.</summary>
public sealed record UsageSummary(
    TimeSpan Covered, long Samples, int CpuP50Millicores, int CpuP95Millicores, int CpuP99Millicores, int MemoryP50MiB, int MemoryP95MiB, int MemoryP99MiB);

/// <summary>
/// One workload's samples over a rolling window (every sample of every one of its pods counts once: the percentiles
/// are per pod). The window is cut into <see cref="Slices"/> time slices, each its own pair of sketches, and a slice
/// is dropped whole once it starts before the window: memory stays bounded (at most Slices + 1 sketches per resource)
/// and the percentiles never cover more than the window, at the price of covering up to one slice less. Pure: the time
/// comes with every call.
/// </summary>
public sealed class UsageWindow(TimeSpan length)
{
    public const int Slices = 14;

    private readonly long _sliceTicks = Math.Max(1, length.Ticks / Slices);
    private readonly SortedDictionary<long, Slice> _slices = [];

    public void Add(DateTimeOffset at, double cpuMillicores, double memoryMiB)
    {
        var index = at.UtcTicks / _sliceTicks;
        if (!_slices.TryGetValue(index, out var slice)) _slices[index] = slice = new Slice(at);
        slice.Cpu.Add(cpuMillicores);
        slice.Memory.Add(memoryMiB);
        slice.First = at < slice.First ? at : slice.First;
        slice.Last = at > slice.Last ? at : slice.Last;
    }

    /// <returns>Null without samples in the window, or while they are all from one instant (no time covered yet).</returns>
    public UsageSummary? Summarize(DateTimeOffset now)
    {
        var start = (now - length).UtcTicks;
        foreach (var old in _slices.Keys.Where(i => i * _sliceTicks < start).ToList()) _slices.Remove(old);
        if (_slices.Count == 0) return null;
        var cpu = new UsageSketch();
        var memory = new UsageSketch();
        foreach (var slice in _slices.Values)
        {
            cpu.AddAll(slice.Cpu);
            memory.AddAll(slice.Memory);
        }

        var covered = _slices.Values.Max(s => s.Last) - _slices.Values.Min(s => s.First);
        if (covered <= TimeSpan.Zero) return null;
        return new UsageSummary(covered, cpu.Count,
            Up(cpu.Quantile(0.50)), Up(cpu.Quantile(0.95)), Up(cpu.Quantile(0.99)),
            Up(memory.Quantile(0.50)), Up(memory.Quantile(0.95)), Up(memory.Quantile(0.99)));
    }

    public bool IsEmpty => _slices.Count == 0;

    /// <summary>Whole millicores and MiB, rounded up (a request below the usage is the mistake to avoid); rounded first against float noise.</summary>
    private static int Up(double value) => (int)Math.Ceiling(Math.Round(value, 6));

    private sealed class Slice(DateTimeOffset at)
    {
        public UsageSketch Cpu { get; } = new();

        public UsageSketch Memory { get; } = new();

        public DateTimeOffset First { get; set; } = at;

        public DateTimeOffset Last { get; set; } = at;
    }
}
