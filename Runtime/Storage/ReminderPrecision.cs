namespace SpotOptimizer.Runtime.Storage;

/// <summary>
/// Reminder times are stored as whole Unix milliseconds (bigint) so both databases share one code path.
/// The in-memory table rounds the same way, so tests against it see what a database would return.
/// </summary>
internal static class ReminderPrecision
{
    public static long ToMilliseconds(DateTimeOffset instant) => instant.ToUnixTimeMilliseconds();

    public static long ToMilliseconds(TimeSpan period) => period.Ticks / TimeSpan.TicksPerMillisecond;

    public static ReminderEntry Restore(string grainType, string grainKey, string name, long startAtMs, long periodMs) =>
        new(new GrainId(grainType, grainKey), name,
            DateTimeOffset.FromUnixTimeMilliseconds(startAtMs), TimeSpan.FromMilliseconds(periodMs));

    public static ReminderEntry Truncate(ReminderEntry entry) =>
        Restore(entry.Grain.Type, entry.Grain.Key, entry.Name, ToMilliseconds(entry.StartAt), ToMilliseconds(entry.Period));
}
