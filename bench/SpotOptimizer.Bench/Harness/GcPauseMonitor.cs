using System.Diagnostics.Tracing;

namespace SpotOptimizer.Bench;

/// <summary>
/// Every GC pause's length (execution-engine suspension start to restart end), from the runtime's own events:
/// tells a latency tail caused by the GC from one caused by the OS or the code under test.
/// </summary>
internal sealed class GcPauseMonitor : EventListener
{
    private const int SuspendEEBegin = 9; // GCSuspendEEBegin_V1
    private const int RestartEEEnd = 3; // GCRestartEEEnd_V1
    private const EventKeywords GcKeyword = (EventKeywords)0x1;

    private readonly Lock _gate = new();
    private LatencyHistogram _pauses = new();
    private DateTime? _suspendedAt;

    /// <summary>"n pauses, p50/p99/max, total" for the Notes column.</summary>
    public static string Describe(LatencyHistogram pauses) => pauses.Count == 0
        ? "no GC pause seen"
        : $"{ResultTable.N0(pauses.Count)} GC pauses: p50 {ResultTable.F(pauses.PercentileMicros(50), 0)} / p99 {ResultTable.F(pauses.PercentileMicros(99), 0)} / " +
          $"max {ResultTable.F(pauses.MaxMicros, 0)} µs, {ResultTable.F(pauses.TotalNanos / 1e6, 0)} ms in all";

    /// <summary>Pauses recorded since the last call, and starts a new record.</summary>
    public LatencyHistogram TakePauses()
    {
        lock (_gate)
        {
            var pauses = _pauses;
            _pauses = new LatencyHistogram();
            return pauses;
        }
    }

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == "Microsoft-Windows-DotNETRuntime") EnableEvents(eventSource, EventLevel.Informational, GcKeyword);
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        lock (_gate)
        {
            if (eventData.EventId == SuspendEEBegin)
            {
                _suspendedAt = eventData.TimeStamp;
            }
            else if (eventData.EventId == RestartEEEnd && _suspendedAt is { } suspendedAt)
            {
                _pauses.Record((long)(eventData.TimeStamp - suspendedAt).TotalNanoseconds);
                _suspendedAt = null;
            }
        }
    }
}
