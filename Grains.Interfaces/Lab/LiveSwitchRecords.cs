using Orleans;

namespace SpotOptimizer.Grains.Interfaces.Lab;

/// <summary>
/// What a live switch will do, fixed before its first step: the instance to move to Spot, where, and the volumes
/// that move with it. Keep it (in the experiment's state) and run it again after a crash: the volumes are detached by
/// then and no longer to be read off the instance.
/// </summary>
/// <param name="ExperimentKey">Stable per experiment; every step's idempotency key derives from it, so a re-run repeats nothing.</param>
/// <param name="AvailabilityZone">The instance's zone, where the Spot instance is launched (EBS volumes are zonal).</param>
/// <param name="Volumes">The non-root EBS volumes attached to the instance, with their device names.</param>
/// <param name="Nodegroup">The node group the Spot instance is launched from (the instance's, else the cluster's in its zone); null in plans saved before it was.</param>
[GenerateSerializer, Immutable]
public sealed record LiveSwitchPlan(
    string ExperimentKey,
    string InstanceId,
    string InstanceType,
    string AvailabilityZone,
    string SpotInstanceType,
    IReadOnlyList<MovedVolume> Volumes,
    string? Nodegroup = null);

[GenerateSerializer, Immutable]
public sealed record MovedVolume(string VolumeId, string Device);

/// <summary>A plan, or why there is none (<see cref="LiveSwitchRefusals"/>): nothing was changed either way.</summary>
[GenerateSerializer, Immutable]
public sealed record LiveSwitchPlanning(LiveSwitchPlan? Plan, string? Refusal, string? Reason);

public static class LiveSwitchRefusals
{
    /// <summary>No such instance in the region, or it is terminated.</summary>
    public const string InstanceNotFound = "instance_not_found";

    /// <summary>The instance belongs to another cluster than the one the switch runs for.</summary>
    public const string OtherCluster = "instance_not_in_cluster";

    /// <summary>The instance is Spot already.</summary>
    public const string AlreadySpot = "instance_already_spot";

    /// <summary>The instance is neither running nor stopped (pending, stopping …).</summary>
    public const string NotSettled = "instance_not_settled";

    /// <summary>The requested zone is not the instance's: its EBS volumes could not follow.</summary>
    public const string ZoneMismatch = "zone_mismatch";
}

/// <summary>One step of a live switch as telemetry shows it: a <see cref="LiveSwitchStatuses.Started"/> report, then its outcome.</summary>
/// <param name="Name">One of <see cref="LiveSwitchSteps"/>.</param>
/// <param name="Status">One of <see cref="LiveSwitchStatuses"/>.</param>
/// <param name="DurationMs">Zero in the started report.</param>
/// <param name="ErrorCode">A <c>CloudErrorCodes</c> code when the step failed.</param>
[GenerateSerializer, Immutable]
public sealed record LiveSwitchStep(string Name, string Status, DateTimeOffset StartedAt, double DurationMs, string Detail, string? ErrorCode = null);

/// <summary>The seed's physical test in order, then the rollback steps that undo it (in reverse) after a failure.</summary>
public static class LiveSwitchSteps
{
    public const string StopInstance = "stop_instance";
    public const string DetachVolume = "detach_volume";
    public const string LaunchSpot = "launch_spot";
    public const string Boot = "boot";
    public const string AttachVolume = "attach_volume";

    public const string DetachFromSpot = "detach_from_spot";
    public const string TerminateSpot = "terminate_spot";
    public const string ReattachVolume = "reattach_volume";
    public const string StartInstance = "start_instance";
}

public static class LiveSwitchStatuses
{
    public const string Started = "started";
    public const string Ok = "ok";
    public const string Failed = "failed";
    public const string DryRun = "dry_run";

    /// <summary>A rollback step that undid its part.</summary>
    public const string RolledBack = "rolled_back";
}

public static class LiveSwitchOutcomes
{
    /// <summary>The instance's volumes are on the running Spot instance; the original is stopped.</summary>
    public const string Switched = "switched";

    /// <summary>Every step was validated as a dry run; nothing changed.</summary>
    public const string DryRun = "dry_run";

    /// <summary>A step failed; see <see cref="LiveSwitchResult.RolledBack"/>.</summary>
    public const string Failed = "failed";
}

/// <param name="Outcome">One of <see cref="LiveSwitchOutcomes"/>.</param>
/// <param name="SpotInstanceId">The launched Spot instance (terminated again after a rollback); null under a dry run.</param>
/// <param name="BootTimeMs">From launch to running, on the product's clock; null under a dry run and when the boot step was replayed.</param>
/// <param name="FailedStep">The forward step that failed (<see cref="LiveSwitchSteps"/>), else null.</param>
/// <param name="RolledBack">
/// After a failure: true when every rollback step succeeded (the original runs with its volumes again), false when one
/// failed (the world needs a look); null when nothing had to be undone.
/// </param>
/// <param name="Steps">Every step's final report, in order, rollback steps included.</param>
[GenerateSerializer, Immutable]
public sealed record LiveSwitchResult(
    string Outcome,
    string? SpotInstanceId,
    double? BootTimeMs,
    string? FailedStep,
    string? ErrorCode,
    bool? RolledBack,
    IReadOnlyList<LiveSwitchStep> Steps);
