using SpotOptimizer.Grains.Interfaces.Market;
using SpotOptimizer.Runtime;

namespace SpotOptimizer.Grains.Market;

public sealed class RiskBoardState
{
    /// <summary>Flags by "zone/type"; expired ones are pruned on the next write.</summary>
    public Dictionary<string, PoolFlag> Flags { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>The per-region snapshot of flagged pools: written by pool grains, read by every decision in one call.</summary>
public sealed class RiskBoardGrain(
    [PersistentState("risk-board")] IPersistentState<RiskBoardState> state,
    TimeProvider time) : Grain, IRiskBoardGrain
{
    public async Task Flag(PoolFlag flag)
    {
        var now = time.GetUtcNow();
        var key = $"{flag.AvailabilityZone}/{flag.InstanceType}";
        var flags = state.State.Flags;
        foreach (var expired in flags.Where(f => f.Value.Until <= now).Select(f => f.Key).ToList()) flags.Remove(expired);
        flags[key] = flags.TryGetValue(key, out var current)
            ? current with { Until = flag.Until > current.Until ? flag.Until : current.Until, Kind = flag.Kind, Reports = current.Reports + flag.Reports }
            : flag;
        await state.WriteStateAsync();
    }

    public Task<IReadOnlyList<PoolFlag>> GetFlags()
    {
        var now = time.GetUtcNow();
        return Task.FromResult<IReadOnlyList<PoolFlag>>([.. state.State.Flags.Values.Where(f => f.Until > now).OrderBy(f => f.AvailabilityZone, StringComparer.Ordinal)
            .ThenBy(f => f.InstanceType, StringComparer.Ordinal)]);
    }
}
