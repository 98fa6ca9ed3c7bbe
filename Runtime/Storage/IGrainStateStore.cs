namespace SpotOptimizer.Runtime.Storage;

/// <summary>Where one named state of one grain is stored.</summary>
public readonly record struct GrainStateKey(string GrainType, string GrainKey, string StateName)
{
    public override string ToString() => $"{GrainType}/{GrainKey}#{StateName}";
}

/// <summary>A stored state document (JSON) and its version.</summary>
public sealed record GrainStateRecord(string Json, string ETag);

/// <summary>
/// Durable grain state. ETag rules (all providers): a write with a null ETag succeeds only when no row exists;
/// a write or clear with an ETag succeeds only when the stored version equals it; anything else throws
/// <see cref="InconsistentStateException"/> and changes nothing.
/// </summary>
public interface IGrainStateStore
{
    Task<GrainStateRecord?> ReadAsync(GrainStateKey key, CancellationToken cancellationToken);

    /// <returns>The new ETag.</returns>
    Task<string> WriteAsync(GrainStateKey key, string json, string? etag, CancellationToken cancellationToken);

    Task ClearAsync(GrainStateKey key, string? etag, CancellationToken cancellationToken);
}
