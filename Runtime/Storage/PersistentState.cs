using System.Text.Json;

namespace SpotOptimizer.Runtime.Storage;

/// <summary>Loads a state object before its grain activates.</summary>
internal interface IStateLoader
{
    Task ReadStateAsync(CancellationToken cancellationToken);
}

/// <summary>A grain's named state, stored as JSON through <see cref="IGrainStateStore"/> with ETag checks.</summary>
internal sealed class PersistentState<TState>(GrainStateKey key, IGrainStateStore store, JsonSerializerOptions serializer)
    : IPersistentState<TState>, IStateLoader
    where TState : new()
{
    public TState State { get; set; } = new();

    public string? Etag { get; private set; }

    public bool RecordExists => Etag is not null;

    public async Task ReadStateAsync(CancellationToken cancellationToken = default)
    {
        var record = await store.ReadAsync(key, cancellationToken);
        State = record is null ? new TState() : JsonSerializer.Deserialize<TState>(record.Json, serializer) ?? new TState();
        Etag = record?.ETag;
    }

    public async Task WriteStateAsync(CancellationToken cancellationToken = default)
    {
        var json = JsonSerializer.Serialize(State, serializer);
        Etag = await store.WriteAsync(key, json, Etag, cancellationToken);
    }

    public async Task ClearStateAsync(CancellationToken cancellationToken = default)
    {
        await store.ClearAsync(key, Etag, cancellationToken);
        State = new TState();
        Etag = null;
    }
}
