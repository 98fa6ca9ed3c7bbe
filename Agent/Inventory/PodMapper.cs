using k8s.Models;

namespace SpotOptimizer.Agent.Inventory;

/// <summary>A running or pending pod as the platform packs it: requests, limits, owner, priority and where it may run.</summary>
public static class PodMapper
{
    public const string ZoneLabel = "topology.kubernetes.io/zone";

    private static readonly string[] CapacityTypeLabels = ["karpenter.sh/capacity-type", "eks.amazonaws.com/capacityType"];

    /// <summary>Finished pods hold no resources; mirror and DaemonSet pods go wherever their node goes.</summary>
    public static bool IsReported(V1Pod pod) =>
        pod.Status?.Phase is not ("Succeeded" or "Failed") && !Owners.IsMirrorPod(pod) && !Owners.IsDaemonSetPod(pod);

    public static ReportedPod Map(V1Pod pod, Owners owners)
    {
        var spec = pod.Spec;
        var requests = PodResources.Requests(spec);
        var limits = PodResources.Limits(spec);
        var (kind, workload) = owners.Of(pod);
        var capacityType = CapacityTypeLabels.Select(label => RequiredValue(spec, label)).FirstOrDefault(v => v is not null);
        return new ReportedPod(
            pod.Metadata.Name,
            pod.Metadata.NamespaceProperty,
            workload,
            kind,
            string.IsNullOrEmpty(spec.NodeName) ? null : spec.NodeName,
            requests.CpuMillicores,
            requests.MemoryMiB,
            limits.CpuMillicores,
            limits.MemoryMiB,
            spec.Priority ?? 0,
            NodeMapper.IsMarked(pod.Metadata.Annotations),
            RequiredValue(spec, ZoneLabel),
            capacityType is null ? null : NodeMapper.CapacityType(new Dictionary<string, string> { [CapacityTypeLabels[0]] = capacityType }));
    }

    /// <summary>
    /// The one value a pod requires for a node label, through its nodeSelector or a required node affinity
    /// (<c>In</c> with a single value in every term); null when it accepts several or does not say.
    /// </summary>
    public static string? RequiredValue(V1PodSpec spec, string label)
    {
        if (spec.NodeSelector is { } selector && selector.TryGetValue(label, out var selected)) return selected;
        var terms = spec.Affinity?.NodeAffinity?.RequiredDuringSchedulingIgnoredDuringExecution?.NodeSelectorTerms;
        if (terms is null || terms.Count == 0) return null;
        var values = terms.Select(t => (t.MatchExpressions ?? [])
                .Where(e => e.Key == label && e.OperatorProperty == "In" && e.Values is { Count: 1 })
                .Select(e => e.Values[0])
                .FirstOrDefault())
            .ToList();
        // Terms are ORed: the pod is pinned only when every term pins the same value.
        return values.All(v => v is not null) && values.Distinct().Count() == 1 ? values[0] : null;
    }
}
