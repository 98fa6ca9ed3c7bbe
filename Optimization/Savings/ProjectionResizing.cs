using SpotOptimizer.Optimization.RightSizing;

namespace SpotOptimizer.Optimization.Savings;

/// <summary>
/// Puts MOD-SIZE-01's recommendations into the projection: every pod of an over- or under-provisioned workload gets
/// the recommended CPU and memory requests before packing. Increases are applied with the decreases: a projection that
/// kept only the decreases would promise savings the customer can have only by leaving workloads at risk of OOM kills,
/// evictions or CPU starvation. Workloads within tolerance or without usage data keep their requests. Pure.
/// </summary>
internal static class ProjectionResizing
{
    public static (IReadOnlyList<ProjectedPod> Pods, RightSizingOutcome Outcome) Apply(IReadOnlyList<ProjectedPod> pods, IReadOnlyList<SizingRecommendation> recommendations)
    {
        var applicable = recommendations
            .Where(r => r.Code is SizingReasons.OverProvisioned or SizingReasons.UnderProvisioned)
            .DistinctBy(r => (r.Namespace, r.Workload))
            .ToList();
        var changes = applicable.ToDictionary(r => (r.Namespace, r.Workload), r => r.Recommended);
        if (changes.Count == 0) return (pods, new RightSizingOutcome(0, 0, 0, 0, 0, 0));

        long cpuSaved = 0, memorySaved = 0;
        var resizedPods = 0;
        var resizedWorkloads = new HashSet<(string, string)>();
        var sized = pods.Select(pod =>
        {
            if (!changes.TryGetValue((pod.Spec.Namespace, pod.Spec.Workload), out var recommended)) return pod;
            cpuSaved += pod.Spec.CpuMillicores - recommended.CpuRequestMillicores;
            memorySaved += pod.Spec.MemoryMiB - recommended.MemoryRequestMiB;
            resizedPods++;
            resizedWorkloads.Add((pod.Spec.Namespace, pod.Spec.Workload));
            return pod with { Spec = pod.Spec with { CpuMillicores = recommended.CpuRequestMillicores, MemoryMiB = recommended.MemoryRequestMiB } };
        }).ToList();

        // Counted by the recommendation's code: an under-provisioned workload has at least one request that rises.
        var decreased = applicable.Count(r => r.Code == SizingReasons.OverProvisioned && resizedWorkloads.Contains((r.Namespace, r.Workload)));
        var increased = applicable.Count(r => r.Code == SizingReasons.UnderProvisioned && resizedWorkloads.Contains((r.Namespace, r.Workload)));
        return (sized, new RightSizingOutcome(decreased, increased, resizedPods, cpuSaved, memorySaved, 0));
    }
}
