using SpotOptimizer.Runtime.Activation;

namespace SpotOptimizer.Runtime.Invocation;

/// <summary>A grain call waiting in a mailbox, with the promise its caller awaits.</summary>
internal sealed class GrainCall<T>(MethodDispatch<T> dispatch, GrainRuntime runtime, GrainId target, object?[] arguments)
    : Message(target)
{
    private readonly TaskCompletionSource<T> _promise = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly long _sentAt = runtime.Time.GetTimestamp();
    private readonly System.Collections.Immutable.ImmutableDictionary<string, string>? _context = RequestContext.Capture();

    public Task<T> Task => _promise.Task;

    public override bool IsReadOnly => dispatch.IsReadOnly;

    public override bool IsAlwaysInterleave => dispatch.IsAlwaysInterleave;

    public override Task RunAsync(ActivationData activation)
    {
        // The caller has given up: running the call now would only do work nobody waits for (Orleans drops it too).
        var timeout = runtime.Options.CallTimeout;
        if (runtime.Time.GetElapsedTime(_sentAt) >= timeout)
        {
            _promise.TrySetException(dispatch.TimedOut(Target, timeout));
            return System.Threading.Tasks.Task.CompletedTask;
        }

        Task turn;
        // The sender's metadata flows into the grain's turn (its awaits capture it); this thread gets its own back after.
        var callers = RequestContext.Capture();
        RequestContext.Restore(_context);
        try
        {
            turn = dispatch.Invoke(activation.Grain, arguments);
        }
        catch (Exception exception)
        {
            _promise.TrySetException(exception);
            return System.Threading.Tasks.Task.CompletedTask;
        }
        finally
        {
            RequestContext.Restore(callers);
        }

        if (!turn.IsCompleted) return CompleteWhenDone(turn);
        Complete(turn);
        return System.Threading.Tasks.Task.CompletedTask;
    }

    public override void Fail(Exception exception) => _promise.TrySetException(exception);

    private async Task CompleteWhenDone(Task turn)
    {
        await turn.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        Complete(turn);
    }

    private void Complete(Task turn)
    {
        if (turn.IsFaulted)
        {
            _promise.TrySetException(turn.Exception!.InnerExceptions);
            return;
        }

        if (turn.IsCanceled)
        {
            _promise.TrySetCanceled();
            return;
        }

        try
        {
            _promise.TrySetResult(dispatch.ResultOf(turn, runtime));
        }
        catch (NotSupportedException exception)
        {
            _promise.TrySetException(exception);
        }
    }
}
