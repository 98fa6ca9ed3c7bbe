using SpotOptimizer.Notifications.Outbox;

namespace SpotOptimizer.Notifications.Tests.Delivery;

public sealed class RetryScheduleTests
{
    [Fact]
    public void DelayAfter_Defaults_DoublesFromBaseUpToTheCapAndStopsAtMaxAttempts()
    {
        var delays = Enumerable.Range(1, 7).Select(a => RetrySchedule.DelayAfter(a, 6, TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(5))).ToList();

        Assert.Equal([TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(120), TimeSpan.FromSeconds(240), TimeSpan.FromMinutes(5), null, null], delays);
    }
}
