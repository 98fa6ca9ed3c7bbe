using SpotOptimizer.Runtime;

namespace SpotOptimizer.Runtime.Tests.Grains;

public interface ISequenceGrain : IGrainWithStringKey
{
    Task Append(int caller, int sequence);

    Task<IReadOnlyList<Entry>> GetEntries();
}

public sealed record Entry(int Caller, int Sequence);

public sealed class SequenceGrain : Grain, ISequenceGrain
{
    private readonly List<Entry> _entries = [];

    public async Task Append(int caller, int sequence)
    {
        // Yield half of the time so that queued and inline turns both happen.
        if (sequence % 2 == 0) await Task.Yield();
        _entries.Add(new Entry(caller, sequence));
    }

    public Task<IReadOnlyList<Entry>> GetEntries() => Task.FromResult<IReadOnlyList<Entry>>([.. _entries]);
}

public interface IRendezvousGrain : IGrainWithStringKey
{
    /// <summary>Completes once <paramref name="parties"/> calls are inside at the same time.</summary>
    [ReadOnly]
    Task<int> MeetAsReader(int parties);

    Task<int> MeetAsWriter(int parties);
}

public sealed class RendezvousGrain : Grain, IRendezvousGrain
{
    private readonly TaskCompletionSource _everyoneInside = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _inside;

    public Task<int> MeetAsReader(int parties) => Meet(parties);

    public Task<int> MeetAsWriter(int parties) => Meet(parties);

    private async Task<int> Meet(int parties)
    {
        var arrived = Interlocked.Increment(ref _inside);
        if (arrived >= parties) _everyoneInside.TrySetResult();
        await _everyoneInside.Task;
        return arrived;
    }
}
