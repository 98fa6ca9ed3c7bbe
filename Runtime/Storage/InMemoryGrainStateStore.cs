namespace SpotOptimizer.Runtime.Storage;

/// <summary>
/// Grain state in process memory for unit tests, with the same ETag rules as the database stores.
/// JSON is kept as the caller's string: .NET strings are immutable, so nothing the caller holds can change it.
/// </summary>
internal sealed class InMemoryGrainStateStore : IGrainStateStore
{
    private readonly Lock gate = new();
    private readonly Dictionary<GrainStateKey, (string Json, long Version)> rows = [];

    public Task<GrainStateRecord?> ReadAsync(GrainStateKey key, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (gate)
        {
            return Task.FromResult(rows.TryGetValue(key, out var row)
                ? new GrainStateRecord(row.Json, StateVersion.Format(row.Version))
                : null);
        }
    }

    public Task<string> WriteAsync(GrainStateKey key, string json, string? etag, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(json);
        cancellationToken.ThrowIfCancellationRequested();
        lock (gate)
        {
            long? stored = rows.TryGetValue(key, out var row) ? row.Version : null;
            if (!Matches(stored, etag))
            {
                throw StateVersion.Conflict("write", key, stored, etag);
            }

            var next = stored is { } version ? version + 1 : StateVersion.NewRow();
            rows[key] = (json, next);
            return Task.FromResult(StateVersion.Format(next));
        }
    }

    public Task ClearAsync(GrainStateKey key, string? etag, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (gate)
        {
            long? stored = rows.TryGetValue(key, out var row) ? row.Version : null;
            if (!Matches(stored, etag))
            {
                throw StateVersion.Conflict("clear", key, stored, etag);
            }

            rows.Remove(key);
            return Task.CompletedTask;
        }
    }

    /// <summary>A null ETag claims "no row"; any other ETag must name the stored version.</summary>
    private static bool Matches(long? stored, string? etag) =>
        etag is null ? stored is null : stored is { } version && StateVersion.TryParse(etag, out var expected) && expected == version;
}
