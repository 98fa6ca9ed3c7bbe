using SpotOptimizer.Grains.Interfaces.Market;
using Orleans;
using Orleans.Runtime;

namespace SpotOptimizer.Grains.Market;

[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed class RiskBoardState
{
    /// <summary>Flags by "zone/type"; expired ones are pruned on the next write.</summary>
    public Dictionary<string, PoolFlag> Flags { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>
/// The per-region snapshot of flagged pools (or, keyed <see cref="RiskBoardKeys.Own"/>, one tenant's own): written by pool grains, read by every decision in one call. Reads far
/// outnumber writes (every tenant's every decision reads the whole board), so the sorted view is built once and
/// served until a flag is written or the first flag in it expires. A new flag is handed to the region's pool index
/// (<see cref="IPoolOccupancyGrain"/>), which moves the clusters in the pool at once.
/// </summary>
public sealed class RiskBoardGrain(
    [PersistentState("risk-board")] IPersistentState<RiskBoardState> state,
    TimeProvider time) : Grain, IRiskBoardGrain
{
    // One reference, so concurrent [ReadOnly] readers see the flags and their validity together.
    private volatile View? _view;

    public async Task Flag(PoolFlag flag)
    {
        var now = time.GetUtcNow();
        var key = $"{flag.AvailabilityZone}/{flag.InstanceType}";
        var flags = state.State.Flags;
        foreach (var expired in flags.Where(f => f.Value.Until <= now).Select(f => f.Key).ToList()) flags.Remove(expired);
        var raised = !flags.TryGetValue(key, out var current);
        flags[key] = raised
            ? flag
            : current! with { Until = flag.Until > current.Until ? flag.Until : current.Until, Kind = flag.Kind, Reports = current.Reports + flag.Reports, Reason = flag.Reason ?? current.Reason };
        _view = null;
        await state.WriteStateAsync();
        // Only a new flag moves clusters: one proactive move per flag, not one per report that extends it. One-way, so the
        // report that raised it returns without waiting for any cluster (a lost hand-over leaves the scheduled run to act).
        if (raised && flag.Until > now)
        {
            var (region, reporter) = RiskBoardKeys.Parse(this.GetPrimaryKeyString());
            await GrainFactory.GetGrain<IPoolOccupancyGrain>(region).PoolFlagged(flag, reporter);
        }
    }

    public Task<IReadOnlyList<PoolFlag>> GetFlags()
    {
        var now = time.GetUtcNow();
        var view = _view;
        if (view is null || now >= view.ValidUntil)
        {
            PoolFlag[] flags = [.. state.State.Flags.Values.Where(f => f.Until > now).OrderBy(f => f.AvailabilityZone, StringComparer.Ordinal)
                .ThenBy(f => f.InstanceType, StringComparer.Ordinal)];
            view = new View(Array.AsReadOnly(flags), flags.Length == 0 ? DateTimeOffset.MaxValue : flags.Min(f => f.Until));
            _view = view;
        }

        return Task.FromResult<IReadOnlyList<PoolFlag>>(view.Flags);
    }

    private sealed record View(IReadOnlyList<PoolFlag> Flags, DateTimeOffset ValidUntil);
}
