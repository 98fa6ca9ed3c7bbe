using Orleans;
using Orleans.Runtime;

namespace SpotOptimizer.Bench.RuntimeBench;

/// <summary>A few fields, as a connected cluster's state minus its discovery and policy.</summary>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed class IdleClusterState
{
    public bool Managed { get; set; }

    public string? AgentTokenHash { get; set; }

    public int PolicyVersion { get; set; } = 1;

    public DateTimeOffset? ConnectedAt { get; set; }

    public string TimeZone { get; set; } = "UTC";

    public string Power { get; set; } = "awake";
}

public interface IIdleClusterGrain : IGrainWithStringKey
{
    Task<int> Touch(CounterBeat beat);
}

/// <summary>The memory subject, shaped as <c>ClusterGrain</c>: GUID key, one [PersistentState], liveness fields; activated once, then idle.</summary>
public sealed class IdleClusterGrain(
    [PersistentState("cluster")] IPersistentState<IdleClusterState> state,
    TimeProvider time) : Grain, IIdleClusterGrain
{
    private DateTimeOffset? _lastSeen;
    private string? _agentVersion;
    private int _reportedNodes;

    public Task<int> Touch(CounterBeat beat)
    {
        _lastSeen = time.GetUtcNow();
        _agentVersion = beat.AgentVersion;
        _reportedNodes = beat.NodeCount;
        return Task.FromResult(state.State.PolicyVersion + _reportedNodes);
    }
}
