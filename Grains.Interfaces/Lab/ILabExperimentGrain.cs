using Orleans;
using Orleans.Concurrency;

namespace SpotOptimizer.Grains.Interfaces.Lab;

/// <summary>
/// One Lab experiment, keyed by its id: an A/B test of two interruption models on two live nodes of one cluster
/// (<see cref="ExperimentKinds.Parallel"/>) or the live switch of one node to Spot (<see cref="ExperimentKinds.LiveSwitch"/>).
/// It acts only through the executor and only on its own nodes (tag isolation), keeps its telemetry series, and
/// publishes each new point to the Lab feed for <c>/hubs/lab</c>.
/// </summary>
public interface ILabExperimentGrain : IGrainWithStringKey
{
    /// <summary>Records the experiment and starts it in its own turn; a second start returns the first's view.</summary>
    Task<ExperimentView> StartParallel(ParallelExperimentStart start);

    /// <summary>Records the live switch and runs it in its own turn; a second start returns the first's view.</summary>
    Task<ExperimentView> StartLiveSwitch(LiveSwitchStart start);

    /// <summary>Null for an unknown experiment. Interleaves with a running tick: it reads an immutable view.</summary>
    [AlwaysInterleave]
    Task<ExperimentView?> Get();

    /// <summary>Ends a running A/B test after the tick in progress (its nodes stay where they are); a finished one ignores this.</summary>
    [AlwaysInterleave]
    Task<ExperimentView?> Stop(string actor);
}

/// <summary>Every experiment, newest first, and which nodes the running ones hold (the optimize loop leaves those alone).</summary>
public interface ILabDirectoryGrain : IGrainWithStringKey
{
    public const string Key = "lab";

    Task Register(ExperimentSummary summary);

    Task Update(ExperimentSummary summary);

    Task<IReadOnlyList<ExperimentSummary>> List();

    /// <summary>The instance ids running experiments hold in the cluster.</summary>
    [AlwaysInterleave]
    Task<IReadOnlySet<string>> HeldIn(string clusterId);
}

public static class ExperimentKinds
{
    public const string Parallel = "parallel";
    public const string LiveSwitch = "live_switch";
}

public static class ExperimentStatus
{
    public const string Running = "running";
    public const string Completed = "completed";
    public const string Stopped = "stopped";
    public const string Failed = "failed";

    public static bool IsFinished(string status) => status is Completed or Stopped or Failed;
}

/// <param name="Arms">Exactly two: A and B, each a node of the cluster and the model that decides for it.</param>
[GenerateSerializer, Immutable]
public sealed record ParallelExperimentStart(
    string OrganizationId, string Actor, string ClusterId, IReadOnlyList<ArmStart> Arms, TimeSpan Duration);

[GenerateSerializer, Immutable]
public sealed record ArmStart(string Arm, string InstanceId, string InstanceType, string ModelId);

[GenerateSerializer, Immutable]
public sealed record LiveSwitchStart(string OrganizationId, string Actor, string ClusterId, string InstanceId, string InstanceType, string AvailabilityZone, string ModelId);

[GenerateSerializer, Immutable]
public sealed record ExperimentSummary(
    string Id, string Kind, string Status, string ClusterId, string CreatedBy, DateTimeOffset CreatedAt, IReadOnlyList<string> Models,
    IReadOnlyList<string> HeldInstances);

/// <param name="Series">Every telemetry point so far, oldest first (what a late subscriber is sent first).</param>
/// <param name="Steps">The live switch's steps, in order (empty for an A/B test).</param>
[GenerateSerializer, Immutable]
public sealed record ExperimentView(
    string Id,
    string Kind,
    string Status,
    string ClusterId,
    string CreatedBy,
    DateTimeOffset CreatedAt,
    DateTimeOffset? EndsAt,
    DateTimeOffset? FinishedAt,
    bool DryRun,
    IReadOnlyList<ArmView> Arms,
    VerdictView? Verdict,
    IReadOnlyList<ExperimentPoint> Series,
    IReadOnlyList<SwitchStepView> Steps,
    string? Error);

/// <param name="Pool">Where the arm's node runs now (<c>zone/type</c>), null while on its On-Demand original.</param>
/// <param name="SpotHours">Exposure of the interruption rate.</param>
[GenerateSerializer, Immutable]
public sealed record ArmView(
    string Arm,
    string ModelId,
    string ModelVersion,
    string OriginalInstanceId,
    string OriginalType,
    string CurrentInstanceId,
    string? Pool,
    double HourlyPrice,
    double OnDemandHourlyPrice,
    double SavingsUsd,
    int Interruptions,
    double SpotHours,
    int Moves,
    double? MeanBootSeconds);

/// <param name="Reason"><c>collecting</c>, <c>fewer_interruptions</c>, <c>higher_savings</c> or <c>no_significant_difference</c>.</param>
[GenerateSerializer, Immutable]
public sealed record VerdictView(string? Winner, string Reason, double? InterruptionsPValue, double? SavingsPValue, double Alpha);

/// <summary>One point of an arm's series. <see cref="Event"/>: <c>tick</c>, <c>moved</c>, <c>interrupted</c>, <c>move_failed</c>, <c>would_move</c> (dry run).</summary>
[GenerateSerializer, Immutable]
public sealed record ExperimentPoint(
    long Seq,
    DateTimeOffset At,
    string Arm,
    string Event,
    string? Pool,
    double HourlyPrice,
    double SavingsUsd,
    int Interruptions,
    double? BootSeconds,
    double? Risk,
    string? Detail);

/// <summary>
/// One step of the live switch (see <see cref="LiveSwitchSteps"/>), reported when it starts and again when it ends.
/// <see cref="Status"/>: <c>started</c>, <c>ok</c>, <c>dry_run</c>, <c>failed</c>, <c>rolled_back</c>.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record SwitchStepView(long Seq, string Step, string Status, DateTimeOffset At, double DurationMs, string? Detail, string? ErrorCode);

/// <summary>One message of the Lab feed (<c>/hubs/lab</c>): a new point, a new step, or (both null) a status change.</summary>
[GenerateSerializer, Immutable]
public sealed record LabTelemetry(string ExperimentId, string Status, ExperimentPoint? Point, SwitchStepView? Step);
