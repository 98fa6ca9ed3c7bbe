namespace SpotOptimizer.Runtime;

/// <summary>
/// A grain's durable state with optimistic concurrency: every write carries the ETag it last saw,
/// and a write against a newer stored version throws <see cref="InconsistentStateException"/>.
/// </summary>
public interface IPersistentState<TState> where TState : new()
{
    TState State { get; set; }

    /// <summary>The stored version this activation last read or wrote; null when nothing is stored.</summary>
    string? Etag { get; }

    bool RecordExists { get; }

    Task ReadStateAsync(CancellationToken cancellationToken = default);

    Task WriteStateAsync(CancellationToken cancellationToken = default);

    Task ClearStateAsync(CancellationToken cancellationToken = default);
}

/// <summary>The stored version differs from the one the writer read: somebody else wrote in between.</summary>
public sealed class InconsistentStateException : Exception
{
    public InconsistentStateException() : base("The stored state changed since it was read.") { }

    public InconsistentStateException(string message) : base(message) { }

    public InconsistentStateException(string message, Exception inner) : base(message, inner) { }

    public InconsistentStateException(string message, string? storedEtag, string? currentEtag)
        : base($"{message} (stored ETag '{storedEtag ?? "none"}', writer's ETag '{currentEtag ?? "none"}')")
    {
        StoredEtag = storedEtag;
        CurrentEtag = currentEtag;
    }

    public string? StoredEtag { get; }

    public string? CurrentEtag { get; }
}
