namespace SpotOptimizer.Dashboard.Services;

/// <summary>One step of a live switch as its timeline shows it: what it does, how it ended (or that it is under way), and how long it took.</summary>
/// <param name="What">The step's own words from its <c>started</c> report (e.g. <c>stop i-…</c>).</param>
/// <param name="Detail">What the executor said when it ended.</param>
/// <param name="Rollback">It undoes part of the switch after a failed step.</param>
public sealed record SwitchStepRow(string Step, string Status, string? What, DateTimeOffset At, double DurationMs, string? Detail, string? ErrorCode, bool Rollback);

public static class SwitchSteps
{
    public const string Started = "started";

    // The platform's rollback steps (its LiveSwitchSteps): after a failure they undo the switch in reverse.
    private static readonly HashSet<string> RollbackSteps = new(["detach_from_spot", "terminate_spot", "reattach_volume", "start_instance"], StringComparer.Ordinal);

    public static bool IsRollback(string step) => RollbackSteps.Contains(step);

    /// <summary>
    /// The reports folded into one row per step: each step is reported when it starts and again when it ends, and the
    /// steps run one at a time, so an outcome closes the latest open row of its name (a step repeats per volume).
    /// </summary>
    public static IReadOnlyList<SwitchStepRow> Rows(IEnumerable<SwitchStepView> reports)
    {
        var rows = new List<SwitchStepRow>();
        foreach (var report in reports.OrderBy(r => r.Seq))
        {
            var open = report.Status == Started ? -1 : rows.FindLastIndex(r => r.Step == report.Step && r.Status == Started);
            if (open >= 0)
            {
                rows[open] = rows[open] with { Status = report.Status, DurationMs = report.DurationMs, Detail = report.Detail, ErrorCode = report.ErrorCode };
                continue;
            }

            var started = report.Status == Started;
            rows.Add(new SwitchStepRow(report.Step, report.Status, started ? report.Detail : null, report.At, report.DurationMs, started ? null : report.Detail,
                report.ErrorCode, IsRollback(report.Step) || report.Status == "rolled_back"));
        }

        return rows;
    }
}
