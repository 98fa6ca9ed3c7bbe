namespace SpotOptimizer.Grains.Tests.Lab;

/// <summary>
/// A clock that moves only when the code under test waits: a one-shot timer (a <c>Task.Delay</c>) moves it to the
/// timer's due time and fires at once. A procedure that polls the simulator every second so runs through simulated
/// minutes at full speed, and what it measures is exactly what the simulator's clock says. Periodic timers (background
/// housekeeping) never fire, so nothing else moves the clock.
/// </summary>
public sealed class WaitSkippingClock(DateTimeOffset start) : TimeProvider
{
    private long _ticks = start.UtcTicks;

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

    public override long GetTimestamp() => Interlocked.Read(ref _ticks);

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new SkippingTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>Moves forward to <paramref name="ticks"/>, never back (two waits ending out of order keep the later time).</summary>
    private void MoveTo(long ticks)
    {
        var current = Interlocked.Read(ref _ticks);
        while (ticks > current)
        {
            var seen = Interlocked.CompareExchange(ref _ticks, ticks, current);
            if (seen == current) return;
            current = seen;
        }
    }

    private sealed class SkippingTimer(WaitSkippingClock clock, TimerCallback callback, object? state) : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            if (dueTime == Timeout.InfiniteTimeSpan || period != Timeout.InfiniteTimeSpan) return true;
            clock.MoveTo(clock.GetUtcNow().UtcTicks + dueTime.Ticks);
            // Fired on the pool, as a real timer would: never inline in the caller that is still setting the timer up.
            ThreadPool.UnsafeQueueUserWorkItem(_ => callback(state), null);
            return true;
        }

        /// <summary>A fired or disabled timer holds nothing to release.</summary>
        public void Dispose()
        {
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
