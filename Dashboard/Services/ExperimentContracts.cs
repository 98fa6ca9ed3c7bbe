namespace SpotOptimizer.Dashboard.Services;

// The Lab's experiments as the API and /hubs/lab send them (snake_case JSON; unknown fields are ignored).

public static class ExperimentKinds
{
    public const string Parallel = "parallel";
    public const string LiveSwitch = "live_switch";
}

public static class ExperimentStatuses
{
    public static bool IsFinished(string status) => status is "completed" or "stopped" or "failed";
}

public sealed record ExperimentSummary(string Id, string Kind, string Status, string ClusterId, string CreatedBy, DateTimeOffset CreatedAt, IReadOnlyList<string> Models);

public sealed record ExperimentList(IReadOnlyList<ExperimentSummary> Experiments);

/// <summary>The answer to starting an A/B test or a live switch: the experiment's id (the seed's <c>test_id</c>) and its first view.</summary>
public sealed record ExperimentStarted(string TestId, ExperimentView Experiment);

/// <param name="Series">Every telemetry point so far, oldest first.</param>
/// <param name="Steps">The live switch's step reports in order (a <c>started</c> report, then its outcome); empty for an A/B test.</param>
public sealed record ExperimentView(
    string Id, string Kind, string Status, string ClusterId, string CreatedBy, DateTimeOffset CreatedAt, DateTimeOffset? EndsAt, DateTimeOffset? FinishedAt,
    bool DryRun, IReadOnlyList<ArmView> Arms, VerdictView? Verdict, IReadOnlyList<ExperimentPoint> Series, IReadOnlyList<SwitchStepView> Steps, string? Error);

/// <param name="Pool">Where the arm's node runs now (<c>zone/type</c>); null while on its On-Demand original.</param>
public sealed record ArmView(
    string Arm, string ModelId, string ModelVersion, string OriginalInstanceId, string OriginalType, string CurrentInstanceId, string? Pool,
    double HourlyPrice, double OnDemandHourlyPrice, double SavingsUsd, int Interruptions, double SpotHours, int Moves, double? MeanBootSeconds);

/// <param name="Reason"><c>collecting</c>, <c>fewer_interruptions</c>, <c>higher_savings</c> or <c>no_significant_difference</c>.</param>
public sealed record VerdictView(string? Winner, string Reason, double? InterruptionsPValue, double? SavingsPValue, double Alpha);

/// <param name="Event"><c>tick</c>, <c>moved</c>, <c>interrupted</c>, <c>move_failed</c>, <c>would_move</c> (dry run) or <c>planned</c> (live switch).</param>
public sealed record ExperimentPoint(
    long Seq, DateTimeOffset At, string Arm, string Event, string? Pool, double HourlyPrice, double SavingsUsd, int Interruptions, double? BootSeconds,
    double? Risk, string? Detail);

/// <param name="Status"><c>started</c>, <c>ok</c>, <c>dry_run</c>, <c>failed</c> or <c>rolled_back</c>.</param>
public sealed record SwitchStepView(long Seq, string Step, string Status, DateTimeOffset At, double DurationMs, string? Detail, string? ErrorCode);

/// <summary>One message of <c>/hubs/lab</c>: a new point, a new step, or (both null) a change of status.</summary>
public sealed record LabTelemetry(string ExperimentId, string Status, ExperimentPoint? Point, SwitchStepView? Step);
