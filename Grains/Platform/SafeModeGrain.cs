using Orleans;
using Orleans.Runtime;
using SpotOptimizer.Grains.Interfaces.Platform;

namespace SpotOptimizer.Grains.Platform;

public sealed class SafeModeGrain([PersistentState("safemode")] IPersistentState<SafeModeState> state, TimeProvider time) : Grain, ISafeModeGrain
{
    public Task<SafeModeSwitch> Get() => Task.FromResult(View);

    public async Task<SafeModeSwitch> Set(SafeModeChange change)
    {
        if (change.Enabled == state.State.Enabled && state.State.ChangedAt is not null) return View;
        state.State = new SafeModeState
        {
            Enabled = change.Enabled, ChangedAt = time.GetUtcNow(), ChangedBy = change.Actor, Reason = change.Reason,
        };
        await state.WriteStateAsync();
        return View;
    }

    private SafeModeSwitch View => state.State.ChangedAt is null
        ? SafeModeSwitch.Off
        : new SafeModeSwitch(state.State.Enabled, state.State.ChangedAt, state.State.ChangedBy, state.State.Reason);
}

[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed class SafeModeState
{
    public bool Enabled { get; set; }

    public DateTimeOffset? ChangedAt { get; set; }

    public string? ChangedBy { get; set; }

    public string? Reason { get; set; }
}
