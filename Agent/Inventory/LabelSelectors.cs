using k8s.Models;

namespace SpotOptimizer.Agent.Inventory;

/// <summary>Kubernetes label selector semantics (matchLabels and the four matchExpressions operators).</summary>
public static class LabelSelectors
{
    /// <summary>An empty selector matches everything, as for a PDB; a null one matches nothing.</summary>
    public static bool Matches(V1LabelSelector? selector, IDictionary<string, string>? labels)
    {
        if (selector is null) return false;
        labels ??= new Dictionary<string, string>();
        foreach (var (key, value) in selector.MatchLabels ?? new Dictionary<string, string>())
        {
            if (!labels.TryGetValue(key, out var actual) || actual != value) return false;
        }

        return (selector.MatchExpressions ?? []).All(e =>
        {
            var has = labels.TryGetValue(e.Key, out var actual);
            return e.OperatorProperty switch
            {
                "In" => has && (e.Values ?? []).Contains(actual),
                "NotIn" => !has || !(e.Values ?? []).Contains(actual),
                "Exists" => has,
                "DoesNotExist" => !has,
                _ => false,
            };
        });
    }
}
