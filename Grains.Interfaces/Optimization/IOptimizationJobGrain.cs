using Orleans;
using Orleans.Concurrency;
using SpotOptimizer.Grains.Interfaces.Clusters;

namespace SpotOptimizer.Grains.Interfaces.Optimization;

/// <summary>
/// One optimization run of one cluster, keyed by job id: detect → risk → decide → execute, its plan and every
/// executed (or dry-run) action. Started by the cluster's reminder after discovery or by POST /optimize.
/// </summary>
public interface IOptimizationJobGrain : IGrainWithStringKey
{
    /// <summary>Records the job as queued and runs it in its own turn; returns at once.</summary>
    Task<JobView> Start(JobStart start);

    /// <summary>Null when the job is not the organization's. Interleaves with the running job: it reads an immutable view.</summary>
    [AlwaysInterleave]
    Task<JobView?> Get(string organizationId);

    /// <summary>
    /// The job left its cluster's history: a finished job drops its record (the ledger keeps what it did); an
    /// unfinished one ignores this. Interleaves, so its cluster may call it whatever the job is doing.
    /// </summary>
    [AlwaysInterleave]
    Task Forget();

    /// <summary>
    /// Its cluster stopped being managed: an unfinished job stops before its next step (a replacement in progress
    /// completes, so no node is left half-replaced) and ends <see cref="JobStatus.Cancelled"/>; a finished one ignores this.
    /// </summary>
    [AlwaysInterleave]
    Task Cancel(string reason);
}

/// <param name="Impersonator">The super admin acting for the organization, if any: every entry the job writes names them.</param>
[GenerateSerializer, Immutable]
public sealed record JobStart(string OrganizationId, string ClusterId, string Actor, string Trigger, string? Impersonator = null)
{
    /// <summary>For a job the hive mind started (<see cref="JobTriggers.PoolFlagged"/>): the flag that started it.</summary>
    [Id(5)]
    public FlagCause? Cause { get; init; }
}

public static class JobStatus
{
    public const string Queued = "queued";
    public const string Running = "running";
    public const string Succeeded = "succeeded";

    /// <summary>Finished, but some planned replacements failed (each says why).</summary>
    public const string Partial = "partial";

    public const string Failed = "failed";

    /// <summary>Stopped because its cluster stopped being managed; what it had done stays done.</summary>
    public const string Cancelled = "cancelled";

    public static bool IsFinished(string status) => status is Succeeded or Partial or Failed or Cancelled;
}

public static class JobStages
{
    public const string Detect = "detect";
    public const string Risk = "risk";
    public const string Decide = "decide";
    public const string Execute = "execute";
    public const string Done = "done";
}

public static class JobTriggers
{
    public const string Manual = "manual";
    public const string Schedule = "schedule";

    /// <summary>Started the moment a pool the cluster runs Spot nodes in was flagged, not at the next scheduled run.</summary>
    public const string PoolFlagged = "pool_flagged";
}

[GenerateSerializer, Immutable]
public sealed record JobView(
    string JobId,
    string ClusterId,
    string Status,
    string Stage,
    string Trigger,
    bool DryRun,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    JobPlanView? Plan,
    IReadOnlyList<JobActionView> Actions,
    string? ErrorCode,
    string? Error,
    string? ErrorReference = null)
{
    /// <summary>The flag that started the job (trigger <see cref="JobTriggers.PoolFlagged"/>); null for any other trigger.</summary>
    [Id(14)]
    public FlagCause? Cause { get; init; }
}

[GenerateSerializer, Immutable]
public sealed record JobPlanView(
    int NodesSeen,
    int FlaggedPools,
    string RiskSource,
    string RiskModelVersion,
    bool PricesStale,
    int DisruptionBudget,
    double HourlySaving,
    IReadOnlyList<PlannedReplacementView> Replacements,
    IReadOnlyList<BlockedReplacementView> Blocked,
    IReadOnlyList<string> Notes,
    ConsolidationPlanView? Consolidation = null,
    HeadroomPlanView? Headroom = null);

/// <param name="Outcome">pending, replaced, dry_run, failed or rolled_back.</param>
[GenerateSerializer, Immutable]
public sealed record PlannedReplacementView(
    string InstanceId,
    string FromType,
    string FromZone,
    string FromPurchase,
    string? Nodegroup,
    string Reason,
    string TargetType,
    string TargetZone,
    string TargetPurchase,
    double CurrentPricePerHour,
    double TargetPricePerHour,
    double TargetRisk,
    string Outcome,
    string? NewInstanceId);

[GenerateSerializer, Immutable]
public sealed record BlockedReplacementView(string InstanceId, string Code, string Reason);

[GenerateSerializer, Immutable]
public sealed record JobActionView(string Step, string Result, string Detail, string? InstanceId, string? ErrorCode, string Log, DateTimeOffset At, double DurationMs);

public static class ReplacementOutcomes
{
    public const string Pending = "pending";
    public const string Replaced = "replaced";
    public const string DryRun = "dry_run";
    public const string Failed = "failed";
    public const string RolledBack = "rolled_back";
}
