using Microsoft.Extensions.Logging;

namespace SpotOptimizer.Agent.Signals;

/// <summary>
/// The reports a watcher has in flight: each signal is sent without holding up the watch, and a stopping watcher waits
/// for the ones still running. Not thread-safe: one watcher's loop is its only user.
/// </summary>
internal sealed partial class SignalReports(InterruptionReporter reporter, ILogger logger)
{
    private readonly List<Task> _running = [];

    public void Send(IEnumerable<InterruptionSignal> signals, CancellationToken cancellationToken)
    {
        foreach (var signal in signals) Add(SendAsync(signal, cancellationToken));
    }

    /// <summary>A report that first has to find out what to send (and may find nothing).</summary>
    public void Add(Task report)
    {
        _running.RemoveAll(t => t.IsCompleted);
        _running.Add(report);
    }

    public Task DrainAsync() => Task.WhenAll(_running);

    public Task SendAsync(InterruptionSignal signal, CancellationToken cancellationToken)
    {
        LogSeen(logger, signal.Kind, signal.NodeName, signal.InstanceId);
        return reporter.ReportAsync(signal, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Spot {Kind} on node {Node} ({InstanceId}).")]
    private static partial void LogSeen(ILogger logger, string kind, string node, string instanceId);
}
