using k8s.Models;

namespace SpotOptimizer.Agent.Inventory;

/// <summary>A workload's replicas, the placement rules its pods carry, and the disruption budget that covers them.</summary>
public static class WorkloadMapper
{
    public const string HostnameLabel = "kubernetes.io/hostname";

    /// <param name="template">The pod template (or, for a workload without one, one of its pods).</param>
    public static ReportedWorkload Map(string ns, string name, string kind, int replicas, V1ObjectMeta template, V1PodSpec spec,
        IEnumerable<V1PodDisruptionBudget> budgets)
    {
        var labels = template.Labels;
        var budget = budgets.FirstOrDefault(b => b.Metadata.NamespaceProperty == ns && LabelSelectors.Matches(b.Spec?.Selector, labels));
        var minAvailable = Scaled(budget?.Spec?.MinAvailable, replicas);
        return new ReportedWorkload(ns, name, kind, replicas,
            OneReplicaPerNode(spec, labels),
            ZoneMaxSkew(spec, labels),
            minAvailable,
            minAvailable is null ? Scaled(budget?.Spec?.MaxUnavailable, replicas) : null);
    }

    /// <summary>A required pod anti-affinity on the hostname against the workload's own labels: one replica per node.</summary>
    public static bool OneReplicaPerNode(V1PodSpec spec, IDictionary<string, string>? labels) =>
        (spec.Affinity?.PodAntiAffinity?.RequiredDuringSchedulingIgnoredDuringExecution ?? [])
            .Any(term => term.TopologyKey == HostnameLabel && LabelSelectors.Matches(term.LabelSelector, labels));

    /// <summary>The tightest zone spread the scheduler enforces (DoNotSchedule) on the workload's own pods.</summary>
    public static int? ZoneMaxSkew(V1PodSpec spec, IDictionary<string, string>? labels) =>
        (spec.TopologySpreadConstraints ?? [])
            .Where(c => c.TopologyKey == PodMapper.ZoneLabel && c.WhenUnsatisfiable == "DoNotSchedule" && LabelSelectors.Matches(c.LabelSelector, labels))
            .Select(c => (int?)c.MaxSkew)
            .Min();

    /// <summary>
    /// A PDB's number: an integer as given, a percentage of the replicas rounded up (the disruption controller rounds
    /// both minAvailable and maxUnavailable up).
    /// </summary>
    public static int? Scaled(IntOrString? value, int replicas)
    {
        if (value?.Value is not { Length: > 0 } text) return null;
        if (text.EndsWith('%'))
        {
            return int.TryParse(text[..^1], out var percent) ? (int)Math.Ceiling(percent * replicas / 100m) : null;
        }

        return int.TryParse(text, out var number) ? number : null;
    }
}
