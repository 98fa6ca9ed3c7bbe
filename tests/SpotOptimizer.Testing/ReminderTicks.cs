using Orleans;
using Orleans.Runtime;

namespace SpotOptimizer.Testing;

/// <summary>
/// Delivers a reminder tick to a grain the way the reminder service does (through <see cref="IRemindable"/>, as a
/// grain call), at an instant of the test's clock: loop logic is tested tick by tick, deterministically, while the
/// reminder service itself runs on the system clock.
/// </summary>
public static class ReminderTicks
{
    public static Task TickAsync(this IAddressable grain, string reminderName, DateTimeOffset at, TimeSpan period) =>
        grain.AsReference<IRemindable>().ReceiveReminder(reminderName, new TickStatus(at.UtcDateTime, period, at.UtcDateTime));
}
