using k8s.Models;

namespace SpotOptimizer.SimulatedKubernetes;

/// <summary>
/// The Eviction API's rules in the simulator: a PodDisruptionBudget refuses when the eviction would leave fewer healthy
/// pods than it requires (as the API server does when its <c>disruptionsAllowed</c> is zero), and an evicted pod's
/// controller brings it back on another schedulable node at once (the least loaded, then by name), or it stays pending.
/// </summary>
internal static class KubernetesEvictions
{
    /// <returns>The budget that refuses, with what it needs and what it has; null when every budget allows it.</returns>
    public static (string Budget, int Desired, int Healthy)? BlockingBudget(KubernetesObjects cluster, V1Pod pod)
    {
        foreach (var budget in cluster.DisruptionBudgets.Items.Where(b => b.Metadata.NamespaceProperty == pod.Metadata.NamespaceProperty && Selects(b.Spec.Selector, pod)))
        {
            var selected = cluster.Pods.Items.Where(p => p.Metadata.NamespaceProperty == pod.Metadata.NamespaceProperty && Selects(budget.Spec.Selector, p)).ToList();
            var healthy = selected.Count(KubernetesOverlay.Healthy);
            var expected = selected.Count;
            var desired = budget.Spec.MinAvailable is { } min
                ? Scaled(min, expected)
                : expected - Scaled(budget.Spec.MaxUnavailable ?? (IntOrString)0, expected);
            if (healthy - desired <= 0) return (budget.Metadata.Name, desired, healthy);
        }

        return null;
    }

    public static string? Reschedule(KubernetesObjects cluster, V1Pod pod)
    {
        var load = cluster.Pods.Items.Where(p => p.Spec.NodeName is not null).GroupBy(p => p.Spec.NodeName).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        return cluster.Nodes.Items
            .Where(n => n.Spec?.Unschedulable != true && n.Metadata.Name != pod.Spec.NodeName)
            .OrderBy(n => load.GetValueOrDefault(n.Metadata.Name))
            .ThenBy(n => n.Metadata.Name, StringComparer.Ordinal)
            .Select(n => n.Metadata.Name)
            .FirstOrDefault();
    }

    /// <summary>matchLabels only: the simulated budgets select by the app label.</summary>
    private static bool Selects(V1LabelSelector? selector, V1Pod pod) =>
        selector?.MatchLabels is { Count: > 0 } labels
        && labels.All(l => pod.Metadata.Labels?.TryGetValue(l.Key, out var value) == true && value == l.Value);

    /// <summary>A count or a percentage of the expected pods, rounded up as the disruption controller does.</summary>
    private static int Scaled(IntOrString value, int expected) =>
        value.Value is { } text && text.EndsWith('%')
            ? (int)Math.Ceiling(int.Parse(text[..^1], System.Globalization.CultureInfo.InvariantCulture) * expected / 100.0)
            : int.Parse(value.Value ?? "0", System.Globalization.CultureInfo.InvariantCulture);
}
