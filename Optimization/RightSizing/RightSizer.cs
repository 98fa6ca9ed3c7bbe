namespace SpotOptimizer.Optimization.RightSizing;

/// <summary>
/// MOD-SIZE-01: per-pod requests and limits from measured usage, in the spirit of the Kubernetes VPA recommender.
/// CPU is compressible (a busy pod is slowed, not killed), so its request follows p95; memory is not (a pod over
/// its limit is OOM-killed), so its request follows p99. Recommendations only: nothing here changes a cluster.
/// </summary>
public static class RightSizer
{
    public const double HoursPerMonth = 730;

    /// <param name="prices">Null when the cluster's nodes could not be priced: recommendations without savings.</param>
    public static SizingReport Recommend(IEnumerable<WorkloadSizing> workloads, ResourcePrices? prices, SizingPolicy policy)
    {
        var items = new List<SizingRecommendation>();
        var skipped = new List<SizingSkip>();
        foreach (var workload in workloads)
        {
            var skip = workload switch
            {
                { Pods.Count: 0 } => SizingReasons.NoPods,
                { Usage: null } => SizingReasons.NoUsageData,
                { Usage.WindowDays: var days } when days < policy.MinimumDays => SizingReasons.InsufficientWindow,
                _ => null,
            };
            if (skip is not null) skipped.Add(new SizingSkip(workload.Namespace, workload.Name, skip));
            else items.Add(RecommendOne(workload, workload.Usage!, prices, policy));
        }

        if (prices is null) return new SizingReport(items, skipped, null, null, null);
        var savings = items.Select(i => i.MonthlySaving!.Value).ToList();
        return new SizingReport(items, skipped, Round(savings.Sum()), Round(savings.Where(s => s > 0).Sum()), Round(-savings.Where(s => s < 0).Sum()));
    }

    /// <summary>
    /// The spec most of the workload's pods run with; on a tie the larger one (sizing from the smaller would
    /// understate what the workload holds today). A mixed workload is flagged, not averaged.
    /// </summary>
    public static (PodResources Spec, bool Differ) CurrentSpec(IReadOnlyList<PodResources> pods)
    {
        var groups = pods.GroupBy(p => p).ToList();
        var spec = groups
            .OrderByDescending(g => g.Count())
            .ThenByDescending(g => g.Key.CpuRequestMillicores)
            .ThenByDescending(g => g.Key.MemoryRequestMiB)
            .ThenByDescending(g => g.Key.MemoryLimitMiB ?? int.MaxValue)
            .ThenByDescending(g => g.Key.CpuLimitMillicores ?? int.MaxValue)
            .First().Key;
        return (spec, groups.Count > 1);
    }

    private static SizingRecommendation RecommendOne(WorkloadSizing workload, UsagePercentiles usage, ResourcePrices? prices, SizingPolicy policy)
    {
        var (current, differ) = CurrentSpec(workload.Pods);
        var cpuTarget = RoundUp(Math.Max(usage.CpuP95Millicores * (1 + policy.Margin), policy.MinCpuMillicores), policy.CpuStepMillicores);
        var memoryTarget = RoundUp(Math.Max(usage.MemoryP99MiB * (1 + policy.Margin), policy.MinMemoryMiB), policy.MemoryStepMiB);
        var cpu = Worth(current.CpuRequestMillicores, cpuTarget, policy.Tolerance, policy.MinCpuChangeMillicores) ? cpuTarget : current.CpuRequestMillicores;
        var memory = Worth(current.MemoryRequestMiB, memoryTarget, policy.Tolerance, policy.MinMemoryChangeMiB) ? memoryTarget : current.MemoryRequestMiB;

        var code = (cpu > current.CpuRequestMillicores || memory > current.MemoryRequestMiB) ? SizingReasons.UnderProvisioned
            : (cpu < current.CpuRequestMillicores || memory < current.MemoryRequestMiB) ? SizingReasons.OverProvisioned
            : SizingReasons.WithinTolerance;
        var recommended = code == SizingReasons.WithinTolerance
            ? current
            : new PodResources(cpu, memory, CpuLimit(current, cpu, policy), MemoryLimit(current, memory, usage, policy));
        var risk = code == SizingReasons.UnderProvisioned ? Risk(current, usage, memory > current.MemoryRequestMiB) : null;
        var saving = prices is null ? (double?)null : Round(MonthlySaving(current, recommended, workload.Replicas, prices));
        var confidence = Math.Round(Math.Clamp(usage.WindowDays / policy.WindowDays, 0, 1), 2);
        return new SizingRecommendation(workload.Namespace, workload.Name, workload.Kind, workload.Replicas, code, risk, confidence,
            current, recommended, usage, differ, saving);
    }

    /// <summary>(old − new requests) × replicas × unit price × 730 h: positive frees capacity, negative buys safety.</summary>
    public static double MonthlySaving(PodResources current, PodResources recommended, int replicas, ResourcePrices prices)
    {
        var cpuHours = (current.CpuRequestMillicores - recommended.CpuRequestMillicores) / 1000.0 * prices.PerVCpuHour;
        var memoryHours = (current.MemoryRequestMiB - recommended.MemoryRequestMiB) / 1024.0 * prices.PerGiBHour;
        return (cpuHours + memoryHours) * replicas * HoursPerMonth;
    }

    /// <summary>A change is worth a rollout only past both the relative tolerance and the absolute floor.</summary>
    private static bool Worth(int current, int target, double tolerance, int minimumChange) =>
        Math.Abs(target - current) >= Math.Max(tolerance * current, minimumChange);

    /// <summary>
    /// No CPU limit where there was none: a CPU limit throttles the pod (CFS quota) even when the node has idle CPU,
    /// and the request already guarantees its share. An existing limit keeps its ratio to the request, as VPA does.
    /// </summary>
    private static int? CpuLimit(PodResources current, int cpu, SizingPolicy policy)
    {
        if (current.CpuLimitMillicores is not { } limit) return null;
        if (current.CpuRequestMillicores <= 0) return Math.Max(limit, cpu);
        return Math.Max(cpu, RoundUp((double)limit * cpu / current.CpuRequestMillicores, policy.CpuStepMillicores));
    }

    /// <summary>
    /// A fixed multiple of the new request, so a leak is stopped before it takes the node's memory and gets the
    /// neighbours evicted; never below the peak seen (p99, the highest percentile the agent reports) plus the margin,
    /// so even a multiple of 1 (Guaranteed QoS) cannot OOM-kill a pod at a load it already had.
    /// </summary>
    private static int MemoryLimit(PodResources current, int memory, UsagePercentiles usage, SizingPolicy policy)
    {
        if (memory == current.MemoryRequestMiB && current.MemoryLimitMiB is { } unchanged) return unchanged;
        var peak = RoundUp(usage.MemoryP99MiB * (1 + policy.Margin), policy.MemoryStepMiB);
        return Math.Max(Math.Max(memory, peak), RoundUp(memory * policy.MemoryLimitMultiple, policy.MemoryStepMiB));
    }

    private static string Risk(PodResources current, UsagePercentiles usage, bool memoryShort)
    {
        if (memoryShort)
        {
            return current.MemoryLimitMiB is { } limit && usage.MemoryP99MiB >= 0.9 * limit ? SizingRisks.OomKill : SizingRisks.MemoryEviction;
        }

        return current.CpuLimitMillicores is { } cpuLimit && usage.CpuP95Millicores >= 0.9 * cpuLimit ? SizingRisks.CpuThrottling : SizingRisks.CpuContention;
    }

    private static int RoundUp(double value, int step) => (int)Math.Ceiling(Math.Round(value / step, 9)) * step;

    private static double Round(double dollars) => Math.Round(dollars, 2);
}
