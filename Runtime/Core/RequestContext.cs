using System.Collections.Immutable;

namespace SpotOptimizer.Runtime;

/// <summary>
/// Call metadata that follows a request through every grain call it makes, as Orleans's RequestContext does (for
/// example who is acting on a tenant's behalf). Values are strings; the set is captured when a call is sent and
/// restored while the grain runs it, including calls that waited in a mailbox. Reminders and timers start empty.
/// </summary>
public static class RequestContext
{
    private static readonly AsyncLocal<ImmutableDictionary<string, string>?> Current = new();

    public static string? Get(string key) => Current.Value?.GetValueOrDefault(key);

    public static void Set(string key, string value) =>
        Current.Value = (Current.Value ?? ImmutableDictionary<string, string>.Empty.WithComparers(StringComparer.Ordinal)).SetItem(key, value);

    public static void Clear() => Current.Value = null;

    internal static ImmutableDictionary<string, string>? Capture() => Current.Value;

    internal static void Restore(ImmutableDictionary<string, string>? values) => Current.Value = values;
}
