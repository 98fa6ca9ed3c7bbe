using SpotOptimizer.Agent.Usage;

namespace SpotOptimizer.Agent.Tests.Usage;

public sealed class UsageWindowTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Summarize_OneInstant_NothingCoveredYet()
    {
        var window = new UsageWindow(TimeSpan.FromDays(14));
        window.Add(Start, 100, 200);
        window.Add(Start, 120, 210);

        Assert.Null(window.Summarize(Start));
    }

    [Fact]
    public void Summarize_HourlySamples_PercentilesRoundedUpAndTheTimeCovered()
    {
        var window = new UsageWindow(TimeSpan.FromDays(14));
        // 100 samples an hour apart: CPU 1..100 millicores, memory 10× that.
        for (var i = 1; i <= 100; i++) window.Add(Start.AddHours(i - 1), i, i * 10);

        var summary = window.Summarize(Start.AddHours(99))!;

        Assert.Equal(TimeSpan.FromHours(99), summary.Covered);
        Assert.Equal(100, summary.Samples);
        // Exact answers 50 / 95 / 99 (CPU) and 500 / 950 / 990 (MiB), each at most 2 % higher, rounded up to whole units.
        Assert.InRange(summary.CpuP50Millicores, 50, 51);
        Assert.InRange(summary.CpuP95Millicores, 95, 97);
        Assert.InRange(summary.CpuP99Millicores, 99, 101);
        Assert.InRange(summary.MemoryP95MiB, 950, 969);
        Assert.True(summary.CpuP50Millicores <= summary.CpuP95Millicores && summary.CpuP95Millicores <= summary.CpuP99Millicores);
    }

    [Fact]
    public void Summarize_OlderThanTheWindow_DroppedSoAnOldPeakNoLongerCounts()
    {
        var window = new UsageWindow(TimeSpan.FromDays(14));
        // A busy first four days (1000 m), then 16 quiet days (100 m), a sample an hour.
        for (var hour = 0; hour < 20 * 24; hour++) window.Add(Start.AddHours(hour), hour < 4 * 24 ? 1000 : 100, 256);
        var now = Start.AddHours((20 * 24) - 1);

        var summary = window.Summarize(now)!;

        Assert.Equal(100, summary.CpuP99Millicores);
        // Whole one-day slices go: the window covers between 13 and 14 days, never more.
        Assert.InRange(summary.Covered, TimeSpan.FromDays(13), TimeSpan.FromDays(14));
        Assert.Null(window.Summarize(now.AddDays(15)));
        Assert.True(window.IsEmpty);
    }
}
