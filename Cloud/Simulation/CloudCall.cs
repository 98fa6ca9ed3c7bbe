namespace SpotOptimizer.Cloud.Simulation;

/// <summary>One call the simulator served, successful or not.</summary>
/// <param name="Operation">The IAM action name, e.g. <c>ec2:DescribeInstances</c>.</param>
/// <param name="Arguments">A short human-readable summary, e.g. <c>cluster=prod-web</c>.</param>
/// <param name="Outcome"><see cref="Ok"/> or the <see cref="CloudException.Code"/> it failed with.</param>
public sealed record CloudCall(DateTimeOffset Timestamp, string Operation, string? AccountId, string? Region, string Arguments, string Outcome)
{
    public const string Ok = "ok";

    public bool Succeeded => Outcome == Ok;
}

/// <summary>The most recent calls, bounded so the always-on embedded default does not grow without end.</summary>
internal sealed class CallLog(int capacity)
{
    private readonly Lock _lock = new();
    private readonly Queue<CloudCall> _calls = new();

    public void Add(CloudCall call)
    {
        lock (_lock)
        {
            if (_calls.Count == capacity) _calls.Dequeue();
            _calls.Enqueue(call);
        }
    }

    public IReadOnlyList<CloudCall> Snapshot()
    {
        lock (_lock) return [.. _calls];
    }

    public void Clear()
    {
        lock (_lock) _calls.Clear();
    }
}
