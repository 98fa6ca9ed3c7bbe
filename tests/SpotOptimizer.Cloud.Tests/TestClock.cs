namespace SpotOptimizer.Cloud.Tests;

/// <summary>A clock that stands still until a test moves it. Only wall-clock reads: no timers needed here.</summary>
public sealed class TestClock(DateTimeOffset start) : TimeProvider
{
    private long _ticks = start.UtcTicks;

    public TestClock() : this(new DateTimeOffset(2026, 3, 2, 9, 30, 0, TimeSpan.Zero)) { }

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
}
