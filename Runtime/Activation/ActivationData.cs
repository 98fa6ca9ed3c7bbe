namespace SpotOptimizer.Runtime.Activation;

/// <summary>
/// One live instance of a grain and its mailbox. A message that can change state (a "writer") runs alone, for its
/// whole turn including awaits; read-only messages run together while no writer runs; always-interleave messages
/// run on arrival. When the grain is idle, a caller runs its message inline on its own thread (no queue hop).
/// </summary>
internal sealed class ActivationData : IThreadPoolWorkItem
{
    /// <summary>Messages one dispatch slice starts before it yields its thread pool thread to other grains.</summary>
    private const int MessagesPerSlice = 64;

    private readonly Queue<Message> _queue = new();
    private ActivationState _state = ActivationState.Creating;
    private bool _writerActive;
    private int _readers;
    private bool _dispatching;
    private bool _deactivationQueued;
    private long _lastActiveQuantum;
    private Exception? _activationFailure;
    private Grain? _grain;
    private List<GrainTimer>? _timers;
    private TaskCompletionSource? _deactivated;

    public ActivationData(GrainId grainId, GrainRuntime runtime)
    {
        GrainId = grainId;
        Runtime = runtime;
        _lastActiveQuantum = runtime.Catalog.CurrentQuantum;
        _queue.Enqueue(new ActivateMessage(grainId));
    }

    public GrainId GrainId { get; }

    public GrainRuntime Runtime { get; }

    public Grain Grain => _grain ?? throw new InvalidOperationException($"Grain {GrainId} is not active.");

    public int MailboxDepth
    {
        get { lock (_queue) return _queue.Count; }
    }

    /// <summary>Completes when the activation has left the catalog.</summary>
    public Task Deactivated
    {
        get
        {
            lock (_queue)
            {
                if (_state == ActivationState.Deactivated) return Task.CompletedTask;
                return (_deactivated ??= new(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
            }
        }
    }

    /// <summary>Claims a turn for the caller's own thread when the grain is active and nothing is queued ahead.</summary>
    public bool TryEnterInline(bool readOnly)
    {
        lock (_queue)
        {
            if (_state != ActivationState.Active || _queue.Count != 0 || _writerActive) return false;
            if (readOnly)
            {
                _readers++;
                return true;
            }

            if (_readers != 0) return false;
            _writerActive = true;
            return true;
        }
    }

    public void ExitInline(bool readOnly) => Finish(readOnly, countsAsActivity: true);

    /// <returns>False when this activation is gone: the caller must look the grain up again.</returns>
    public bool TryEnqueue(Message message)
    {
        bool runNow = false, dispatch = false;
        lock (_queue)
        {
            if (_state == ActivationState.Deactivated) return false;
            if (message.IsAlwaysInterleave && _state == ActivationState.Active)
            {
                runNow = true;
            }
            else
            {
                _queue.Enqueue(message);
                Runtime.Catalog.MessageQueued();
                dispatch = ClaimDispatch();
            }
        }

        if (runNow) _ = message.RunAsync(this);
        if (dispatch) ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        return true;
    }

    public void RequestDeactivation(DeactivationReason reason)
    {
        lock (_queue)
        {
            if (_deactivationQueued || _state is ActivationState.Deactivating or ActivationState.Deactivated) return;
            _deactivationQueued = true;
        }

        TryEnqueue(new DeactivateMessage(GrainId, reason));
    }

    /// <summary>Queues deactivation when nothing has run for <paramref name="idleQuanta"/> collection quanta.</summary>
    public void CollectIfIdle(long currentQuantum, long idleQuanta)
    {
        lock (_queue)
        {
            if (_state != ActivationState.Active || _writerActive || _readers != 0 || _dispatching || _queue.Count != 0) return;
            if (currentQuantum - Volatile.Read(ref _lastActiveQuantum) < idleQuanta) return;
        }

        RequestDeactivation(DeactivationReason.IdleCollection);
    }

    public IDisposable RegisterTimer(Func<CancellationToken, Task> callback, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new GrainTimer(this, callback, dueTime, period);
        lock (_queue) (_timers ??= []).Add(timer);
        timer.Start();
        return timer;
    }

    public void RemoveTimer(GrainTimer timer)
    {
        lock (_queue) _timers?.Remove(timer);
    }

    public void CompleteActivation(Grain grain)
    {
        lock (_queue)
        {
            _grain = grain;
            _state = ActivationState.Active;
        }

        Runtime.Instruments.ActivationCreated();
    }

    public void FailActivation(Exception exception)
    {
        Log.ActivationFailed(Runtime.Logger, exception, GrainId.ToString());
        lock (_queue)
        {
            _activationFailure = exception;
            _state = ActivationState.Deactivated;
            _deactivated?.TrySetResult();
        }

        Runtime.Catalog.Remove(this);
    }

    /// <returns>False when deactivation already ran or the grain never activated.</returns>
    public bool BeginDeactivation()
    {
        List<GrainTimer>? timers;
        lock (_queue)
        {
            if (_state != ActivationState.Active) return false;
            _state = ActivationState.Deactivating;
            timers = _timers;
            _timers = null;
        }

        timers?.ForEach(t => t.Dispose());
        return true;
    }

    public void CompleteDeactivation(DeactivationReason reason)
    {
        Runtime.Catalog.Remove(this);
        lock (_queue)
        {
            _state = ActivationState.Deactivated;
            _grain = null;
            _deactivated?.TrySetResult();
        }

        Runtime.Instruments.ActivationRemoved();
        Log.Deactivated(Runtime.Logger, GrainId.ToString(), reason);
    }

    /// <summary>The dispatch loop: starts queued messages while the head may start, then lets finishing turns resume it.</summary>
    void IThreadPoolWorkItem.Execute()
    {
        for (var started = 0; started < MessagesPerSlice; started++)
        {
            Message message;
            bool readOnly;
            lock (_queue)
            {
                if (_state == ActivationState.Deactivated)
                {
                    HandOffQueue();
                    return;
                }

                if (_queue.Count == 0 || !HeadMayStart())
                {
                    _dispatching = false;
                    return;
                }

                message = _queue.Dequeue();
                if (message is not ActivateMessage) Runtime.Catalog.MessageDequeued(1);
                readOnly = message.IsReadOnly && _state == ActivationState.Active;
                if (readOnly) _readers++;
                else _writerActive = true;
            }

            Start(message, readOnly);
        }

        // Fairness: the slice is used up; continue from a fresh work item (still dispatching).
        ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
    }

    private void Start(Message message, bool readOnly)
    {
        Task turn;
        try
        {
            turn = message.RunAsync(this);
        }
        catch (Exception exception)
        {
            Log.TurnFailed(Runtime.Logger, exception, GrainId.ToString());
            turn = Task.CompletedTask;
        }

        if (turn.IsCompleted)
        {
            Finish(readOnly, message.CountsAsActivity);
            return;
        }

        turn.ContinueWith(
            static (_, state) =>
            {
                var (activation, readOnly, activity) = ((ActivationData, bool, bool))state!;
                activation.Finish(readOnly, activity);
            },
            (this, readOnly, message.CountsAsActivity),
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    private void Finish(bool readOnly, bool countsAsActivity)
    {
        if (countsAsActivity) Volatile.Write(ref _lastActiveQuantum, Runtime.Catalog.CurrentQuantum);
        bool dispatch;
        lock (_queue)
        {
            if (readOnly) _readers--;
            else _writerActive = false;
            dispatch = ClaimDispatch();
        }

        if (dispatch) ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
    }

    /// <summary>Under the lock: becomes the dispatcher when none runs and the queue's head may start now.</summary>
    private bool ClaimDispatch()
    {
        if (_dispatching || _queue.Count == 0 || !HeadMayStart()) return false;
        _dispatching = true;
        return true;
    }

    private bool HeadMayStart()
    {
        if (_state == ActivationState.Deactivated) return true;
        if (_writerActive) return false;
        return _readers == 0 || (_state == ActivationState.Active && _queue.Peek().IsReadOnly);
    }

    /// <summary>Under the lock, once deactivated: queued messages go to the next activation, or fail with the activation error.</summary>
    private void HandOffQueue()
    {
        var leftovers = _queue.ToArray();
        _queue.Clear();
        Runtime.Catalog.MessageDequeued(leftovers.Count(m => m is not ActivateMessage));
        _dispatching = false;
        if (leftovers.Length == 0) return;
        var failure = _activationFailure;
        ThreadPool.UnsafeQueueUserWorkItem(
            state =>
            {
                foreach (var message in state.leftovers)
                {
                    if (state.failure is null) message.Reroute(state.runtime);
                    else message.Fail(state.failure);
                }
            },
            (leftovers, failure, runtime: Runtime),
            preferLocal: false);
    }

    private enum ActivationState
    {
        Creating,
        Active,
        Deactivating,
        Deactivated,
    }
}
