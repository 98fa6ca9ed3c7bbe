namespace SpotOptimizer.Governance;

public enum ClusterPower
{
    Awake,
    Asleep,
}

/// <summary>A cluster's weekly hibernation plan: 168 hourly slots (Monday 00:00 first, 1 = awake, 0 = asleep) in a time zone.</summary>
public sealed record HibernationPlan(IReadOnlyList<int> Matrix, string TimeZoneId, bool Prewarm);

/// <param name="NextChangeAt">When the desired power next differs (within the coming eight days), if ever.</param>
public sealed record HibernationDecision(ClusterPower Desired, string Reason, DateTimeOffset? NextChangeAt);

/// <summary>
/// Evaluates a weekly plan at an instant. Everything is decided from the UTC instant converted to the plan's zone, so
/// DST needs no special cases: a local hour skipped in spring is simply never current, a repeated autumn hour is
/// current twice. Pre-warm wakes the cluster when the slot 30 minutes ahead is awake (also across midnight and the
/// Sunday→Monday wrap); a manual override keeps it awake until it expires.
/// </summary>
public static class WeeklySchedule
{
    public const int Slots = 168;

    public static readonly TimeSpan PrewarmLead = TimeSpan.FromMinutes(30);

    /// <summary>Every time-zone offset in use is a multiple of 15 minutes, so transitions fall on UTC quarter hours.</summary>
    private static readonly TimeSpan Step = TimeSpan.FromMinutes(15);

    public static IReadOnlyList<string> Problems(IReadOnlyList<int>? matrix)
    {
        if (matrix is null) return ["schedule_matrix is required."];
        var problems = new List<string>();
        if (matrix.Count != Slots) problems.Add($"schedule_matrix must have exactly {Slots} values (24 hours × 7 days, Monday 00:00 first); it has {matrix.Count}.");
        var bad = matrix.Select((value, index) => (value, index)).FirstOrDefault(v => v.value is not (0 or 1));
        if (matrix.Any(v => v is not (0 or 1))) problems.Add($"schedule_matrix values must be 0 (asleep) or 1 (awake); slot {bad.index} is {bad.value}.");
        return problems;
    }

    /// <summary>The slot index (0 = Monday 00:00–01:00 local) of a UTC instant.</summary>
    public static int SlotAt(DateTimeOffset instant, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(instant, zone);
        var day = ((int)local.DayOfWeek + 6) % 7;
        return (day * 24) + local.Hour;
    }

    public static HibernationDecision Evaluate(HibernationPlan plan, TimeZoneInfo zone, DateTimeOffset now, DateTimeOffset? overrideUntil)
    {
        var (desired, reason) = Desired(plan, zone, now, overrideUntil);
        return new HibernationDecision(desired, reason, NextChange(plan, zone, now, overrideUntil, desired));
    }

    private static (ClusterPower, string) Desired(HibernationPlan plan, TimeZoneInfo zone, DateTimeOffset at, DateTimeOffset? overrideUntil)
    {
        if (overrideUntil is { } until && at < until) return (ClusterPower.Awake, "override");
        if (plan.Matrix[SlotAt(at, zone)] == 1) return (ClusterPower.Awake, "scheduled");
        if (plan.Prewarm && plan.Matrix[SlotAt(at + PrewarmLead, zone)] == 1) return (ClusterPower.Awake, "prewarm");
        return (ClusterPower.Asleep, "scheduled");
    }

    private static DateTimeOffset? NextChange(HibernationPlan plan, TimeZoneInfo zone, DateTimeOffset now, DateTimeOffset? overrideUntil, ClusterPower current)
    {
        var candidate = new DateTimeOffset(now.UtcTicks - (now.UtcTicks % Step.Ticks), TimeSpan.Zero);
        var horizon = now.AddDays(8);
        while ((candidate += Step) <= horizon)
        {
            var at = overrideUntil is { } until && until > now && until < candidate && until > candidate - Step ? until : candidate;
            if (Desired(plan, zone, at, overrideUntil).Item1 != current) return at;
        }

        return null;
    }
}
