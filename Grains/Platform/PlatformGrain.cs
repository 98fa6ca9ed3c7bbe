using SpotOptimizer.Grains.Interfaces.Platform;
using Orleans;
using Orleans.Runtime;

namespace SpotOptimizer.Grains.Platform;

public sealed class PlatformGrain([PersistentState("platform")] IPersistentState<PlatformState> state, TimeProvider time)
    : Grain, IPlatformGrain
{
    private PlatformInfo Info => new(state.State.SiloStarts, state.State.FirstStartedAt);

    public async Task<PlatformInfo> RecordSiloStart()
    {
        state.State = state.State with
        {
            SiloStarts = state.State.SiloStarts + 1,
            FirstStartedAt = state.State.FirstStartedAt ?? time.GetUtcNow(),
        };
        await state.WriteStateAsync();
        return Info;
    }

    public Task<PlatformInfo> GetInfo() => Task.FromResult(Info);

    public async Task<PlatformInfo> ReadFromStorage()
    {
        await state.ReadStateAsync();
        return Info;
    }
}
