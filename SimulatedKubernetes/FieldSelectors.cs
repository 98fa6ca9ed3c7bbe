using k8s.Models;

namespace SpotOptimizer.SimulatedKubernetes;

/// <summary>
/// The API server's <c>fieldSelector</c> for the resources the simulated API filters: comma-separated terms
/// <c>field=value</c>, <c>field==value</c> or <c>field!=value</c>, all of which must hold. A field the resource does not
/// support is refused as the API server refuses it (400, "field label not supported").
/// </summary>
internal static class FieldSelectors
{
    /// <summary>A parsed selector: whether an object matches, or why the selector is refused.</summary>
    public sealed record Parsed<T>(Func<T, bool> Matches, string? Error)
    {
        public static readonly Parsed<T> All = new(_ => true, null);
    }

    /// <summary>The event fields the API server supports selecting on (core/v1 events' field label conversion), minus a few rarely used.</summary>
    private static readonly Dictionary<string, Func<Corev1Event, string?>> EventFields = new(StringComparer.Ordinal)
    {
        ["metadata.name"] = e => e.Metadata?.Name,
        ["metadata.namespace"] = e => e.Metadata?.NamespaceProperty,
        ["involvedObject.kind"] = e => e.InvolvedObject?.Kind,
        ["involvedObject.name"] = e => e.InvolvedObject?.Name,
        ["involvedObject.namespace"] = e => e.InvolvedObject?.NamespaceProperty,
        ["involvedObject.uid"] = e => e.InvolvedObject?.Uid,
        ["involvedObject.apiVersion"] = e => e.InvolvedObject?.ApiVersion,
        ["reason"] = e => e.Reason,
        ["type"] = e => e.Type,
        ["source"] = e => e.Source?.Component,
        ["reportingComponent"] = e => e.ReportingComponent,
    };

    public static Parsed<Corev1Event> ForEvents(string selector)
    {
        var terms = new List<Func<Corev1Event, bool>>();
        foreach (var term in selector.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var (field, value, equal) = term.IndexOf("!=", StringComparison.Ordinal) is var ne and > 0 ? (term[..ne], term[(ne + 2)..], false)
                : term.IndexOf("==", StringComparison.Ordinal) is var eq and > 0 ? (term[..eq], term[(eq + 2)..], true)
                : term.IndexOf('=', StringComparison.Ordinal) is var single and > 0 ? (term[..single], term[(single + 1)..], true)
                : (term, "", true);
            if (!term.Contains('=', StringComparison.Ordinal)) return new Parsed<Corev1Event>(_ => false, $"invalid selector: '{term}'; can't understand '{term}'");
            if (!EventFields.TryGetValue(field, out var read)) return new Parsed<Corev1Event>(_ => false, $"field label not supported: {field}");
            terms.Add(e => string.Equals(read(e) ?? "", value, StringComparison.Ordinal) == equal);
        }

        return new Parsed<Corev1Event>(e => terms.TrueForAll(t => t(e)), null);
    }
}
