using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace SpotOptimizer.Runtime.Diagnostics;

/// <summary>
/// The runtime's meter and activity source. Every instrument costs one branch when nobody listens, so the hot
/// call path pays for timing and spans only while an exporter or test is attached.
/// </summary>
internal sealed class RuntimeInstruments : IDisposable
{
    public const string Name = "SpotOptimizer.Runtime";

    public static readonly ActivitySource ActivitySource = new(Name);

    private readonly Meter _meter = new(Name);
    private readonly Counter<long> _calls;
    private readonly Counter<long> _failedCalls;
    private readonly Histogram<double> _callDuration;
    private long _activations;
    private long _failedCallCount;

    public RuntimeInstruments(Func<long> mailboxDepth, Func<long> pendingReminders)
    {
        _calls = _meter.CreateCounter<long>("spotopt.grain.calls", "{call}", "Grain calls sent.");
        _failedCalls = _meter.CreateCounter<long>("spotopt.grain.calls.failed", "{call}", "Grain calls that faulted or timed out.");
        _callDuration = _meter.CreateHistogram<double>("spotopt.grain.call.duration", "ms", "Grain call latency seen by the caller.");
        _meter.CreateObservableGauge("spotopt.grain.activations", () => Volatile.Read(ref _activations), "{activation}", "Live activations.");
        _meter.CreateObservableGauge("spotopt.grain.mailbox.depth", mailboxDepth, "{message}", "Messages queued across all activations.");
        _meter.CreateObservableGauge("spotopt.reminders.pending", pendingReminders, "{reminder}", "Registered reminders.");
    }

    public long Activations => Volatile.Read(ref _activations);

    public long FailedCalls => Volatile.Read(ref _failedCallCount);

    public void ActivationCreated() => Interlocked.Increment(ref _activations);

    public void ActivationRemoved() => Interlocked.Decrement(ref _activations);

    public CallScope StartCall(string method, GrainId target)
    {
        if (_calls.Enabled) _calls.Add(1, new KeyValuePair<string, object?>("rpc.method", method));
        var startedAt = _callDuration.Enabled ? Stopwatch.GetTimestamp() : 0;
        var activity = ActivitySource.HasListeners() ? ActivitySource.StartActivity(method) : null;
        activity?.SetTag("grain.id", target.ToString());
        return new CallScope(this, method, startedAt, activity);
    }

    public void Dispose() => _meter.Dispose();

    internal void Completed(in CallScope scope, Task turn)
    {
        var failed = !turn.IsCompletedSuccessfully;
        if (failed)
        {
            Interlocked.Increment(ref _failedCallCount);
            if (_failedCalls.Enabled) _failedCalls.Add(1, new KeyValuePair<string, object?>("rpc.method", scope.Method));
        }

        if (scope.StartedAt != 0)
        {
            _callDuration.Record(
                Stopwatch.GetElapsedTime(scope.StartedAt).TotalMilliseconds,
                new KeyValuePair<string, object?>("rpc.method", scope.Method));
        }

        if (scope.Activity is { } activity)
        {
            if (failed) activity.SetStatus(ActivityStatusCode.Error, turn.Exception?.InnerException?.Message ?? "timed out");
            activity.Dispose();
        }
    }
}

/// <summary>Measures one call from send to completion.</summary>
internal readonly record struct CallScope(RuntimeInstruments Instruments, string Method, long StartedAt, Activity? Activity)
{
    public void Complete(Task turn) => Instruments.Completed(this, turn);
}
