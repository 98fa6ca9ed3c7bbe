using SpotOptimizer.Cloud;

namespace SpotOptimizer.Grains.Execution;

/// <summary>Who acts, where, and whether for real: one per job (or hibernation tick).</summary>
/// <param name="DryRun">SAFE_MODE or the cluster's own dry run: every step is validated, logged and audited, nothing changes.</param>
public sealed record ExecutionScope(
    string OrganizationId,
    string Actor,
    string ClusterId,
    string Region,
    string ClusterName,
    CloudSession Session,
    bool DryRun,
    IReadOnlyList<string> ExcludedNamespaces);

/// <summary>The plan steps the executor knows (CORE-EXEC); they name the ledger actions <c>executor.&lt;step&gt;</c>.</summary>
public static class ExecutorSteps
{
    public const string LaunchSpot = "launch_spot";
    public const string LaunchOnDemand = "launch_on_demand";
    public const string WaitReady = "wait_ready";
    public const string DrainNode = "drain_node";
    public const string TerminateNode = "terminate_node";
    public const string ResizeNodegroup = "resize_nodegroup";
    public const string TerminateLaunched = "terminate_launched";
    public const string DetachVolume = "detach_volume";
    public const string AttachVolume = "attach_volume";
    public const string StopInstance = "stop_instance";
    public const string StartInstance = "start_instance";
}

public static class ExecutorResults
{
    public const string Ok = "OK";
    public const string DryRun = "DRYRUN";
    public const string Failed = "FAILED";

    /// <summary>The idempotency key was done before: nothing was sent again.</summary>
    public const string Replayed = "REPLAYED";
}

/// <param name="InstanceId">The instance the step created or acted on, when there is one.</param>
public sealed record ExecutedAction(
    string Step,
    string IdempotencyKey,
    string Result,
    string Detail,
    string? InstanceId,
    string? ErrorCode,
    string LogLine,
    DateTimeOffset At,
    double DurationMs)
{
    public bool Succeeded => Result is ExecutorResults.Ok or ExecutorResults.DryRun or ExecutorResults.Replayed;
}

public sealed class ExecutorOptions
{
    /// <summary>How often wait_ready polls the instance (and the stop, start and volume steps the cloud's answer).</summary>
    public TimeSpan ReadyPoll { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long wait_ready waits before giving up (the new node is then terminated again); the stop, start and volume
    /// steps wait as long for their instance or volume to settle.
    /// </summary>
    public TimeSpan ReadyTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Attempts of a drain refused by a PodDisruptionBudget before the replacement is abandoned.</summary>
    public int DrainAttempts { get; set; } = 3;

    /// <summary>Pause between drain attempts (a PDB frees up as other pods become ready).</summary>
    public TimeSpan DrainRetryDelay { get; set; } = TimeSpan.FromSeconds(20);
}
