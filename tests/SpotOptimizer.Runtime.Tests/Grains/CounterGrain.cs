using SpotOptimizer.Runtime;

namespace SpotOptimizer.Runtime.Tests.Grains;

public interface ICounterGrain : IGrainWithStringKey
{
    Task<int> Increment();

    [ReadOnly]
    Task<int> GetCount();
}

/// <summary>
/// Read-modify-write across an await: if two turns ever interleaved, increments would be lost.
/// </summary>
public sealed class CounterGrain : Grain, ICounterGrain
{
    private int _count;

    public async Task<int> Increment()
    {
        var seen = _count;
        await Task.Yield();
        _count = seen + 1;
        return _count;
    }

    public Task<int> GetCount() => Task.FromResult(_count);
}
