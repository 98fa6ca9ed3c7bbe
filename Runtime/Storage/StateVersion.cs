using System.Globalization;

namespace SpotOptimizer.Runtime.Storage;

/// <summary>
/// ETags are the row's integer version as a decimal string. Every provider parses and formats them here,
/// so an ETag from one provider means the same thing to another (and a foreign string simply never matches).
/// </summary>
internal static class StateVersion
{
    /// <summary>
    /// The version a new state row starts at: random, not 1, because a cleared row is deleted — a writer still
    /// holding the old row's ETag must not match a row created after the clear.
    /// </summary>
    public static long NewRow() => Random.Shared.NextInt64(1, 1L << 53);

    public static string Format(long version) => version.ToString(CultureInfo.InvariantCulture);

    public static bool TryParse(string? etag, out long version) =>
        long.TryParse(etag, NumberStyles.None, CultureInfo.InvariantCulture, out version);

    public static InconsistentStateException Conflict(string operation, GrainStateKey key, long? storedVersion, string? etag) =>
        new($"Cannot {operation} {key}: the stored version differs from the writer's",
            storedVersion is { } stored ? Format(stored) : null, etag);
}
