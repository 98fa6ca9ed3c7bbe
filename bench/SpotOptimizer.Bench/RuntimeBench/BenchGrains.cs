using SpotOptimizer.Runtime;

namespace SpotOptimizer.Bench.RuntimeBench;

public interface ICounterGrain : IGrainWithStringKey
{
    /// <summary>Increments the grain's counter and returns it; completes synchronously.</summary>
    Task<long> Increment();

    /// <summary>The same after one <c>await Task.Yield()</c>: the turn really is asynchronous.</summary>
    Task<long> IncrementAfterYield();
}

/// <summary>The throughput and latency subject: a little real work on grain state per call.</summary>
public sealed class CounterGrain : Grain, ICounterGrain
{
    private long _count;
    private long _checksum = 17;

    public Task<long> Increment() => Task.FromResult(Step());

    public async Task<long> IncrementAfterYield()
    {
        await Task.Yield();
        return Step();
    }

    private long Step()
    {
        _count++;
        _checksum = (_checksum * 31) + _count;
        return _count;
    }
}

/// <summary>What an idle grain typically holds in memory: a small immutable record.</summary>
public sealed record InstanceShape(int Vcpus, int MemoryMiB, string Zone);

/// <summary>Small persisted state (three fields).</summary>
public sealed class IdleProfile
{
    public int Heartbeats { get; set; }

    public long LastSeenUnixMs { get; set; }

    public string Pool { get; set; } = "";
}

public interface IIdleGrain : IGrainWithStringKey
{
    Task<int> Touch();
}

/// <summary>The memory subject: activated once, then left idle.</summary>
public sealed class IdleGrain([PersistentState("profile")] IPersistentState<IdleProfile> profile) : Grain, IIdleGrain
{
    private readonly InstanceShape _shape = new(2, 4096, "us-east-1a");

    public Task<int> Touch() => Task.FromResult(_shape.Vcpus + profile.State.Heartbeats);
}
