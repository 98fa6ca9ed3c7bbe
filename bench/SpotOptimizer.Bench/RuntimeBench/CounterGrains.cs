using Orleans;
using Orleans.Runtime;
using SpotOptimizer.Grains.Interfaces.Clusters;

namespace SpotOptimizer.Bench.RuntimeBench;

/// <summary>The call of <c>IClusterGrain.Heartbeat</c>: an immutable record in, an immutable record (or null) out.</summary>
public interface ICounterGrain : IGrainWithStringKey
{
    Task<CounterAck?> Beat(CounterBeat beat);
}

/// <summary>Implemented by <see cref="ProductShapedCounterGrain"/>.</summary>
public interface IProductShapedCounterGrain : ICounterGrain
{
}

/// <summary>Implemented by <see cref="RawCounterGrain"/>.</summary>
public interface IRawCounterGrain : ICounterGrain
{
}

[GenerateSerializer, Immutable]
public sealed record CounterBeat(string TokenHash, string AgentVersion, int NodeCount, int PodCount);

[GenerateSerializer, Immutable]
public sealed record CounterAck(string Key, int PolicyVersion, long Beats, DateTimeOffset ReceivedAt);

[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed class CounterState
{
    public string? TokenHash { get; set; } = BenchTokens.Hash;

    public int PolicyVersion { get; set; } = 1;
}

public static class BenchTokens
{
    /// <summary>What every counter's state holds and every beat carries: a SHA-256 hex, as an agent token's hash.</summary>
    public static readonly string Hash = AgentTokens.HashOf("soa_bench");
}

/// <summary>
/// "Ours": <c>ClusterGrain.Heartbeat</c>'s pattern — persisted state read (never written) on every call, the product's
/// injected clock, liveness kept in fields. The token hash is compared with an ordinal equality: the heartbeat's
/// fixed-time compare (<see cref="AgentTokens.HashesEqual"/>) is product logic, not a way of using Orleans, and it
/// allocates two arrays a call (bench/README.md gives its cost).
/// </summary>
public sealed class ProductShapedCounterGrain(
    [PersistentState("counter")] IPersistentState<CounterState> state,
    TimeProvider time) : Grain, IProductShapedCounterGrain
{
    private DateTimeOffset? _lastSeen;
    private string? _agentVersion;
    private int _reportedNodes;
    private long _beats;

    public Task<CounterAck?> Beat(CounterBeat beat)
    {
        if (state.State.TokenHash is not { } expected || !string.Equals(expected, beat.TokenHash, StringComparison.Ordinal)) return Task.FromResult<CounterAck?>(null);
        var now = time.GetUtcNow();
        _lastSeen = now;
        _agentVersion = beat.AgentVersion;
        _reportedNodes = beat.NodeCount;
        _beats++;
        return Task.FromResult<CounterAck?>(new CounterAck(this.GetPrimaryKeyString(), state.State.PolicyVersion, _beats, now));
    }
}

/// <summary>"Raw": the simplest grain of the same interface shape — no state, no injected services.</summary>
public sealed class RawCounterGrain : Grain, IRawCounterGrain
{
    private long _beats;

    public Task<CounterAck?> Beat(CounterBeat beat) =>
        Task.FromResult<CounterAck?>(new CounterAck(this.GetPrimaryKeyString(), 1, ++_beats, DateTimeOffset.UtcNow));
}
