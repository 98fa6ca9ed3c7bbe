namespace SpotOptimizer.Optimization.RightSizing;

/// <summary>One pod's resources as its spec says them (its containers summed); a null limit is no limit.</summary>
public sealed record PodResources(int CpuRequestMillicores, int MemoryRequestMiB, int? CpuLimitMillicores = null, int? MemoryLimitMiB = null);

/// <summary>Measured usage of one pod (percentiles over <see cref="WindowDays"/> days, as the agent reports them).</summary>
public sealed record UsagePercentiles(
    double WindowDays, int CpuP50Millicores, int CpuP95Millicores, int CpuP99Millicores, int MemoryP50MiB, int MemoryP95MiB, int MemoryP99MiB);

/// <summary>One workload as right-sizing sees it: its desired replicas, the resources of each of its pods, and its usage if measured.</summary>
public sealed record WorkloadSizing(
    string Namespace, string Name, string Kind, int Replicas, IReadOnlyList<PodResources> Pods, UsagePercentiles? Usage);

/// <summary>What one vCPU and one GiB of memory cost per hour on the cluster's nodes.</summary>
public sealed record ResourcePrices(double PerVCpuHour, double PerGiBHour);

/// <summary>
/// The recommender's knobs. <see cref="Margin"/> is added on top of the percentile; <see cref="MinimumDays"/> of
/// usage are needed before anything is said; a change smaller than <see cref="Tolerance"/> of the current request
/// (and at least <see cref="MinCpuChangeMillicores"/> / <see cref="MinMemoryChangeMiB"/>) is not worth a rollout.
/// </summary>
public sealed record SizingPolicy(
    double Margin = 0.15,
    double WindowDays = 14,
    double MinimumDays = 2,
    double Tolerance = 0.10,
    int MinCpuChangeMillicores = 25,
    int MinMemoryChangeMiB = 32,
    double MemoryLimitMultiple = 1.5,
    int CpuStepMillicores = 5,
    int MemoryStepMiB = 4,
    int MinCpuMillicores = 10,
    int MinMemoryMiB = 32)
{
    public static readonly SizingPolicy Default = new();
}

/// <summary>Why a workload got the answer it got (stable codes: the dashboard and tests match on them).</summary>
public static class SizingReasons
{
    public const string OverProvisioned = "over_provisioned";
    public const string UnderProvisioned = "under_provisioned";
    public const string WithinTolerance = "within_tolerance";
    public const string NoUsageData = "no_usage_data";
    public const string InsufficientWindow = "insufficient_window";

    /// <summary>The agent reported no pod of the workload, so its current requests are unknown.</summary>
    public const string NoPods = "no_pods";
}

/// <summary>What an under-provisioned workload risks today, worst first.</summary>
public static class SizingRisks
{
    /// <summary>Memory p99 is at 90 % or more of the memory limit: the kernel kills the container when it crosses it.</summary>
    public const string OomKill = "oom_kill_risk";

    /// <summary>Memory p99 is above the request: under node memory pressure the kubelet evicts such pods first.</summary>
    public const string MemoryEviction = "memory_eviction_risk";

    /// <summary>CPU p95 is at 90 % or more of the CPU limit: the pod is being throttled.</summary>
    public const string CpuThrottling = "cpu_throttling";

    /// <summary>CPU p95 is above the request: on a busy node the pod gets only its requested share.</summary>
    public const string CpuContention = "cpu_contention";
}

/// <param name="Current">The pods' most common spec (see <see cref="PodSpecsDiffer"/>).</param>
/// <param name="Recommended">Equal to <paramref name="Current"/> when the code is <c>within_tolerance</c>.</param>
/// <param name="Risk">For an under-provisioned workload, what it risks today (<see cref="SizingRisks"/>).</param>
/// <param name="Confidence">The share of the full window the usage covers (0-1).</param>
/// <param name="PodSpecsDiffer">The workload's pods do not all have the same resources (a rollout in flight, a hand edit).</param>
/// <param name="MonthlySaving">$ per month; negative for an increase (what the safety costs); null without prices.</param>
public sealed record SizingRecommendation(
    string Namespace,
    string Workload,
    string Kind,
    int Replicas,
    string Code,
    string? Risk,
    double Confidence,
    PodResources Current,
    PodResources Recommended,
    UsagePercentiles Usage,
    bool PodSpecsDiffer,
    double? MonthlySaving);

public sealed record SizingSkip(string Namespace, string Workload, string Code);

/// <param name="TotalMonthlySaving">Net: decreases' savings minus increases' costs; null without prices.</param>
public sealed record SizingReport(
    IReadOnlyList<SizingRecommendation> Items,
    IReadOnlyList<SizingSkip> Skipped,
    double? TotalMonthlySaving,
    double? MonthlySavingFromDecreases,
    double? MonthlyCostOfIncreases);
