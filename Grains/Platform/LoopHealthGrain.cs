using Orleans;
using SpotOptimizer.Grains.Interfaces.Platform;

namespace SpotOptimizer.Grains.Platform;

public sealed class LoopHealthGrain : Grain, ILoopHealthGrain
{
    private const int RecentKept = 100;

    private readonly Dictionary<string, Record> _loops = new(StringComparer.Ordinal);

    public Task RecordFailure(string loop, string errorCode, DateTimeOffset at)
    {
        if (!_loops.TryGetValue(loop, out var record)) _loops[loop] = record = new Record();
        record.FailedRuns++;
        record.LastErrorCode = errorCode;
        record.Recent.Enqueue(at);
        if (record.Recent.Count > RecentKept) record.Recent.Dequeue();
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<LoopStatus>> GetLoops(DateTimeOffset now) =>
        Task.FromResult<IReadOnlyList<LoopStatus>>([.. _loops.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => new LoopStatus(
            l.Key, l.Value.FailedRuns, l.Value.Recent.Count(at => now - at <= LoopStatus.Window), l.Value.Recent.Count > 0 ? l.Value.Recent.Max() : null,
            l.Value.LastErrorCode))]);

    private sealed class Record
    {
        public long FailedRuns { get; set; }

        public string? LastErrorCode { get; set; }

        public Queue<DateTimeOffset> Recent { get; } = new();
    }
}
