using System.Collections.Concurrent;

namespace SpotOptimizer.Runtime.Activation;

/// <summary>
/// The directory of live activations in this silo: at most one per grain id. Also runs idle collection, which
/// counts time in quanta so that the per-call bookkeeping is a single integer write.
/// </summary>
internal sealed class Catalog(GrainRuntime runtime) : IDisposable
{
    private readonly ConcurrentDictionary<GrainId, ActivationData> _activations = new();
    private long _quantum;
    private ITimer? _collector;
    private volatile bool _stopping;

    public long CurrentQuantum => Volatile.Read(ref _quantum);

    private long _mailboxDepth;

    /// <summary>Takes every lock of the directory: for shutdown and tests, not for probes.</summary>
    public int Count => _activations.Count;

    /// <summary>
    /// Messages waiting in all mailboxes, kept as a running count: health probes and metric exporters read it often,
    /// and walking 100,000 activations (each behind its lock) would cost tens of milliseconds per read.
    /// The activation's own first message is not counted: an activation created in a lost look-up race never runs it.
    /// </summary>
    public long MailboxDepth => Math.Max(0, Volatile.Read(ref _mailboxDepth));

    public void MessageQueued() => Interlocked.Increment(ref _mailboxDepth);

    public void MessageDequeued(int count) => Interlocked.Add(ref _mailboxDepth, -count);

    public ActivationData GetOrCreate(GrainId grainId)
    {
        if (_activations.TryGetValue(grainId, out var activation)) return activation;
        if (_stopping) throw new InvalidOperationException($"The grain runtime is shutting down; cannot activate {grainId}.");
        return _activations.GetOrAdd(grainId, static (id, rt) => new ActivationData(id, rt), runtime);
    }

    public bool TryGet(GrainId grainId, out ActivationData activation) => _activations.TryGetValue(grainId, out activation!);

    public void Remove(ActivationData activation) =>
        _activations.TryRemove(KeyValuePair.Create(activation.GrainId, activation));

    public void StartCollector()
    {
        var quantum = runtime.Options.CollectionQuantum;
        _collector = runtime.Time.CreateTimer(static s => ((Catalog)s!).CollectIdle(), this, quantum, quantum);
    }

    /// <summary>Runs one collection pass now (the collector timer calls this every quantum).</summary>
    public void CollectIdle()
    {
        var quantum = Interlocked.Increment(ref _quantum);
        var idleQuanta = (long)Math.Ceiling(runtime.Options.CollectionAge / runtime.Options.CollectionQuantum);
        foreach (var activation in _activations.Values) activation.CollectIfIdle(quantum, idleQuanta);
    }

    /// <summary>Refuses new activations and deactivates every live one, waiting up to <paramref name="timeout"/>.</summary>
    /// <returns>How many activations were still deactivating when the wait ended.</returns>
    public async Task<int> DeactivateAllAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        _stopping = true;
        _collector?.Dispose();
        var activations = _activations.Values.ToArray();
        foreach (var activation in activations) activation.RequestDeactivation(DeactivationReason.ShuttingDown);
        var all = Task.WhenAll(activations.Select(a => a.Deactivated));
        try
        {
            await all.WaitAsync(timeout, runtime.Time, cancellationToken);
        }
        catch (Exception exception) when (exception is TimeoutException or OperationCanceledException)
        {
            return activations.Count(a => !a.Deactivated.IsCompleted);
        }

        return 0;
    }

    public void Dispose() => _collector?.Dispose();
}
