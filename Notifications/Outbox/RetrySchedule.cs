namespace SpotOptimizer.Notifications.Outbox;

/// <summary>Exponential backoff: base, 2×base, 4×base, … capped; none after the last attempt.</summary>
public static class RetrySchedule
{
    /// <param name="attempt">The attempt that just failed, 1-based.</param>
    /// <returns>The wait before the next attempt, or null when <paramref name="attempt"/> was the last.</returns>
    public static TimeSpan? DelayAfter(int attempt, int maxAttempts, TimeSpan baseDelay, TimeSpan maxDelay)
    {
        if (attempt >= maxAttempts) return null;
        var factor = Math.Pow(2, Math.Min(attempt - 1, 30));
        return TimeSpan.FromTicks((long)Math.Min(baseDelay.Ticks * factor, maxDelay.Ticks));
    }
}
