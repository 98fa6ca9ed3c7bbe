using SpotOptimizer.Runtime.Activation;

namespace SpotOptimizer.Runtime;

/// <summary>
/// An activation-bound timer. Each tick is queued as a turn, and the next period starts only when that turn
/// finishes, so a slow callback never overlaps itself.
/// </summary>
internal sealed class GrainTimer : IDisposable
{
    private readonly ActivationData _activation;
    private readonly Func<CancellationToken, Task> _callback;
    private readonly TimeSpan _dueTime;
    private readonly TimeSpan _period;
    private readonly CancellationTokenSource _disposed = new();
    private ITimer? _timer;

    public GrainTimer(ActivationData activation, Func<CancellationToken, Task> callback, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dueTime, TimeSpan.Zero);
        if (period <= TimeSpan.Zero && period != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(period), "must be positive, or infinite for a one-shot timer");
        }

        _activation = activation;
        _callback = callback;
        _dueTime = dueTime;
        _period = period;
    }

    public void Start() =>
        _timer = _activation.Runtime.Time.CreateTimer(static s => ((GrainTimer)s!).Fire(), this, _dueTime, Timeout.InfiniteTimeSpan);

    public void Dispose()
    {
        if (_disposed.IsCancellationRequested) return;
        _disposed.Cancel();
        _timer?.Dispose();
        _activation.RemoveTimer(this);
    }

    private void Fire()
    {
        if (!_disposed.IsCancellationRequested) _activation.TryEnqueue(new TickMessage(this));
    }

    private async Task TickAsync()
    {
        if (_disposed.IsCancellationRequested) return;
        try
        {
            await _callback(_disposed.Token);
        }
        catch (Exception exception)
        {
            // A callback cancelled by deactivation is not a failure worth reporting.
            if (!_disposed.IsCancellationRequested) Log.TimerFailed(_activation.Runtime.Logger, exception, _activation.GrainId.ToString());
        }

        if (!_disposed.IsCancellationRequested && _period != Timeout.InfiniteTimeSpan) _timer?.Change(_period, Timeout.InfiniteTimeSpan);
    }

    private sealed class TickMessage(GrainTimer timer) : Message(timer._activation.GrainId)
    {
        public override bool CountsAsActivity => false;

        public override Task RunAsync(ActivationData activation) => timer.TickAsync();

        public override void Fail(Exception exception) { }

        // A tick belongs to the activation that registered the timer; the next activation registers its own.
        public override void Reroute(GrainRuntime runtime) { }
    }
}
