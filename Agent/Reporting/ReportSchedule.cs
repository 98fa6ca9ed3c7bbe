namespace SpotOptimizer.Agent.Reporting;

/// <summary>
/// When the next report goes out: the interval ±10 % so a fleet of agents restarted together does not report in
/// lock-step, and after failures an exponential backoff (interval × 2^failures, capped) with the same jitter.
/// </summary>
public static class ReportSchedule
{
    public const double Jitter = 0.10;

    /// <param name="random">A draw in [0, 1).</param>
    public static TimeSpan NextDelay(TimeSpan interval, TimeSpan maxBackoff, int consecutiveFailures, double random)
    {
        var baseDelay = consecutiveFailures <= 0
            ? interval
            : TimeSpan.FromTicks((long)Math.Min(maxBackoff.Ticks, interval.Ticks * Math.Pow(2, Math.Min(consecutiveFailures, 30))));
        var factor = 1 + (Jitter * ((2 * random) - 1));
        return TimeSpan.FromTicks((long)(baseDelay.Ticks * factor));
    }
}
