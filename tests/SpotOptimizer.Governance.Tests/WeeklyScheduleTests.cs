using SpotOptimizer.Governance;

namespace SpotOptimizer.Governance.Tests;

public sealed class WeeklyScheduleTests
{
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    /// <summary>Awake 09:00–17:00 local, Monday to Friday.</summary>
    private static int[] OfficeHours()
    {
        var matrix = new int[WeeklySchedule.Slots];
        for (var day = 0; day < 5; day++)
        {
            for (var hour = 9; hour < 17; hour++) matrix[(day * 24) + hour] = 1;
        }

        return matrix;
    }

    [Fact]
    public void Evaluate_WeekAcrossSpringForward_TransitionsAtShiftedUtcInstants()
    {
        var plan = new HibernationPlan(OfficeHours(), "America/New_York", Prewarm: false);
        // Friday 6 March 2026 (EST, UTC−5) to Tuesday 10 March (EDT, UTC−4): clocks jump on Sunday 8 March.
        var transitions = Transitions(plan, NewYork, new DateTimeOffset(2026, 3, 6, 0, 0, 0, TimeSpan.Zero), TimeSpan.FromDays(5));

        Assert.Equal(
        [
            (new DateTimeOffset(2026, 3, 6, 14, 0, 0, TimeSpan.Zero), ClusterPower.Awake),
            (new DateTimeOffset(2026, 3, 6, 22, 0, 0, TimeSpan.Zero), ClusterPower.Asleep),
            (new DateTimeOffset(2026, 3, 9, 13, 0, 0, TimeSpan.Zero), ClusterPower.Awake),
            (new DateTimeOffset(2026, 3, 9, 21, 0, 0, TimeSpan.Zero), ClusterPower.Asleep),
            (new DateTimeOffset(2026, 3, 10, 13, 0, 0, TimeSpan.Zero), ClusterPower.Awake),
            (new DateTimeOffset(2026, 3, 10, 21, 0, 0, TimeSpan.Zero), ClusterPower.Asleep),
        ], transitions);
    }

    [Fact]
    public void Evaluate_SlotInSkippedHour_NeverWakes()
    {
        var matrix = new int[WeeklySchedule.Slots];
        matrix[(6 * 24) + 2] = 1; // Sunday 02:00–03:00, which does not exist on 8 March 2026 in New York
        var plan = new HibernationPlan(matrix, "America/New_York", Prewarm: false);

        var transitions = Transitions(plan, NewYork, new DateTimeOffset(2026, 3, 8, 0, 0, 0, TimeSpan.Zero), TimeSpan.FromDays(1));

        Assert.Empty(transitions);
    }

    [Fact]
    public void Evaluate_RepeatedHourAtFallBack_AwakeForBothOccurrences()
    {
        var matrix = new int[WeeklySchedule.Slots];
        matrix[(6 * 24) + 1] = 1; // Sunday 01:00–02:00, which happens twice on 1 November 2026
        var plan = new HibernationPlan(matrix, "America/New_York", Prewarm: false);

        var transitions = Transitions(plan, NewYork, new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero), TimeSpan.FromDays(1));

        Assert.Equal(
        [
            (new DateTimeOffset(2026, 11, 1, 5, 0, 0, TimeSpan.Zero), ClusterPower.Awake),
            (new DateTimeOffset(2026, 11, 1, 7, 0, 0, TimeSpan.Zero), ClusterPower.Asleep),
        ], transitions);
    }

    [Fact]
    public void Evaluate_PrewarmBeforeMondayMorningAcrossWeekWrap_WakesThirtyMinutesEarly()
    {
        var matrix = new int[WeeklySchedule.Slots];
        matrix[0] = 1; // Monday 00:00–01:00 UTC: pre-warm must start Sunday 23:30, across the week's wrap
        var plan = new HibernationPlan(matrix, "UTC", Prewarm: true);

        var sundayLate = WeeklySchedule.Evaluate(plan, TimeZoneInfo.Utc, new DateTimeOffset(2026, 3, 8, 23, 40, 0, TimeSpan.Zero), null);
        var sundayEarlier = WeeklySchedule.Evaluate(plan, TimeZoneInfo.Utc, new DateTimeOffset(2026, 3, 8, 23, 20, 0, TimeSpan.Zero), null);

        Assert.Equal((ClusterPower.Awake, "prewarm"), (sundayLate.Desired, sundayLate.Reason));
        Assert.Equal(ClusterPower.Asleep, sundayEarlier.Desired);
        Assert.Equal(new DateTimeOffset(2026, 3, 8, 23, 30, 0, TimeSpan.Zero), sundayEarlier.NextChangeAt);
    }

    [Fact]
    public void Evaluate_OverrideThenExpiry_AwakeUntilExactExpiryThenSchedule()
    {
        var plan = new HibernationPlan(new int[WeeklySchedule.Slots], "Europe/Berlin", Prewarm: false);
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        var now = new DateTimeOffset(2026, 7, 1, 10, 7, 0, TimeSpan.Zero);
        var until = now.AddMinutes(50);

        var during = WeeklySchedule.Evaluate(plan, berlin, now, until);
        var after = WeeklySchedule.Evaluate(plan, berlin, until, until);

        Assert.Equal((ClusterPower.Awake, "override"), (during.Desired, during.Reason));
        Assert.Equal(until, during.NextChangeAt);
        Assert.Equal(ClusterPower.Asleep, after.Desired);
    }

    [Fact]
    public void Evaluate_HalfHourOffsetZone_UsesLocalHourSlots()
    {
        var india = TimeZoneInfo.FindSystemTimeZoneById("Asia/Kolkata");
        var matrix = new int[WeeklySchedule.Slots];
        matrix[9] = 1; // Monday 09:00–10:00 IST = 03:30–04:30 UTC
        var plan = new HibernationPlan(matrix, "Asia/Kolkata", Prewarm: false);

        var transitions = Transitions(plan, india, new DateTimeOffset(2026, 3, 9, 0, 0, 0, TimeSpan.Zero), TimeSpan.FromDays(1));

        Assert.Equal(
        [
            (new DateTimeOffset(2026, 3, 9, 3, 30, 0, TimeSpan.Zero), ClusterPower.Awake),
            (new DateTimeOffset(2026, 3, 9, 4, 30, 0, TimeSpan.Zero), ClusterPower.Asleep),
        ], transitions);
    }

    [Theory]
    [InlineData(167, 0, "exactly 168 values")]
    [InlineData(168, 2, "slot 5 is 2")]
    public void Problems_WrongShapeOrValues_NamesTheProblem(int length, int badValue, string expected)
    {
        var matrix = new int[length];
        if (badValue != 0) matrix[5] = badValue;
        Assert.Contains(WeeklySchedule.Problems(matrix), p => p.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Problems_ValidMatrix_None() => Assert.Empty(WeeklySchedule.Problems(OfficeHours()));

    /// <summary>Walks the window in one-minute steps and records every change of the desired power.</summary>
    private static List<(DateTimeOffset, ClusterPower)> Transitions(HibernationPlan plan, TimeZoneInfo zone, DateTimeOffset start, TimeSpan window)
    {
        var changes = new List<(DateTimeOffset, ClusterPower)>();
        var previous = WeeklySchedule.Evaluate(plan, zone, start, null).Desired;
        for (var at = start.AddMinutes(1); at <= start + window; at = at.AddMinutes(1))
        {
            var desired = WeeklySchedule.Evaluate(plan, zone, at, null);
            if (desired.Desired != previous) changes.Add((at, desired.Desired));
            previous = desired.Desired;
        }

        return changes;
    }
}
