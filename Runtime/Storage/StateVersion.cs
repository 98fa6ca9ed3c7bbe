using System.Globalization;

namespace SpotOptimizer.Runtime.Storage;

/// <summary>
/// ETags are the row's integer version as a decimal string. Every provider parses and formats them here,
/// so an ETag from one provider means the same thing to another (and a foreign string simply never matches).
/// </summary>
internal static class StateVersion
{
    /// <summary>The version a state row is created with.</summary>
    public const long First = 1;

    public static string Format(long version) => version.ToString(CultureInfo.InvariantCulture);

    public static bool TryParse(string? etag, out long version) =>
        long.TryParse(etag, NumberStyles.None, CultureInfo.InvariantCulture, out version);

    public static InconsistentStateException Conflict(string operation, GrainStateKey key, long? storedVersion, string? etag) =>
        new($"Cannot {operation} {key}: the stored version differs from the writer's",
            storedVersion is { } stored ? Format(stored) : null, etag);
}
