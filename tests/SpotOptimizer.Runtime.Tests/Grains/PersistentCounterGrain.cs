using SpotOptimizer.Runtime;

namespace SpotOptimizer.Runtime.Tests.Grains;

public sealed class CounterState
{
    public int Count { get; set; }

    public List<string> History { get; set; } = [];
}

public interface IPersistentCounterGrain : IGrainWithStringKey
{
    Task<int> Increment();

    Task Set(int value);

    Task<int> GetCount();

    Task<string?> GetEtag();

    Task Deactivate();

    Task Clear();
}

public sealed class PersistentCounterGrain([PersistentState("counter")] IPersistentState<CounterState> counter, ActivationJournal journal)
    : Grain, IPersistentCounterGrain
{
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        journal.Record(GrainId, "activate");
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        journal.Record(GrainId, $"deactivate:{reason}");
        return Task.CompletedTask;
    }

    public async Task<int> Increment()
    {
        var seen = counter.State.Count;
        await Task.Yield();
        counter.State.Count = seen + 1;
        await counter.WriteStateAsync();
        return counter.State.Count;
    }

    public async Task Set(int value)
    {
        counter.State.Count = value;
        counter.State.History.Add($"set {value} — ünïcødé");
        await counter.WriteStateAsync();
    }

    public Task<int> GetCount() => Task.FromResult(counter.State.Count);

    public Task<string?> GetEtag() => Task.FromResult(counter.Etag);

    public Task Deactivate()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }

    public Task Clear() => counter.ClearStateAsync();
}
