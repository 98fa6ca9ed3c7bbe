using System.Reflection;
using SpotOptimizer.Runtime.Activation;
using SpotOptimizer.Runtime.Diagnostics;

namespace SpotOptimizer.Runtime.Invocation;

/// <summary>Sends calls of one method whose result is <typeparamref name="T"/> (<see cref="object"/> for plain Task methods).</summary>
internal sealed class MethodDispatch<T>(MethodInfo method, bool returnsValue) : MethodDispatch(method)
{
    public override Task Send(GrainRuntime runtime, GrainId target, object?[] arguments)
    {
        if (runtime.Copier is { } copier) arguments = CopyArguments(copier, arguments);
        var scope = runtime.Instruments.StartCall(Name, target);
        while (true)
        {
            var activation = runtime.Catalog.GetOrCreate(target);
            if (!IsAlwaysInterleave && activation.TryEnterInline(IsReadOnly)) return RunInline(runtime, activation, target, arguments, scope);

            var call = new GrainCall<T>(this, runtime, target, arguments);
            if (activation.TryEnqueue(call)) return AwaitWithTimeout(runtime, target, call.Task, scope, copyResult: false);
        }
    }

    /// <summary>The result of a completed turn, copied when the runtime copies messages.</summary>
    public T ResultOf(Task turn, GrainRuntime runtime)
    {
        if (!returnsValue) return default!;
        var result = ((Task<T>)turn).Result;
        return runtime.Copier is { } copier ? copier.Copy(result, $"{Name} result") : result;
    }

    private Task RunInline(GrainRuntime runtime, ActivationData activation, GrainId target, object?[] arguments, CallScope scope)
    {
        Task turn;
        try
        {
            turn = Invoke(activation.Grain, arguments);
        }
        catch (Exception exception)
        {
            turn = Task.FromException<T>(exception);
        }

        if (!turn.IsCompleted)
        {
            turn.ContinueWith(
                IsReadOnly ? static (_, state) => ((ActivationData)state!).ExitInline(readOnly: true)
                    : static (_, state) => ((ActivationData)state!).ExitInline(readOnly: false),
                activation,
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
            return AwaitWithTimeout(runtime, target, turn, scope, copyResult: true);
        }

        activation.ExitInline(IsReadOnly);
        scope.Complete(turn);
        if (!returnsValue || runtime.Copier is null || !turn.IsCompletedSuccessfully) return turn;
        try
        {
            return Task.FromResult(ResultOf(turn, runtime));
        }
        catch (Exception exception)
        {
            return Task.FromException<T>(exception);
        }
    }

    private async Task<T> AwaitWithTimeout(GrainRuntime runtime, GrainId target, Task turn, CallScope scope, bool copyResult)
    {
        var timeout = runtime.Options.CallTimeout;
        try
        {
            await turn.WaitAsync(timeout, runtime.Time);
        }
        catch (TimeoutException)
        {
            if (!turn.IsCompleted) throw TimedOut(target, timeout);

            // The turn finished just as the wait expired (or failed with its own timeout): its outcome wins.
            await turn;
        }
        finally
        {
            scope.Complete(turn);
        }

        if (!returnsValue) return default!;
        return copyResult ? ResultOf(turn, runtime) : ((Task<T>)turn).Result;
    }

    public TimeoutException TimedOut(GrainId target, TimeSpan timeout) =>
        new($"Call to {Name} on grain {target} timed out after {timeout}. Non-reentrant grains that call each other " +
            "in a cycle (A→B→A) wait on each other: mark the re-entered method [AlwaysInterleave] or break the cycle.");

    private object?[] CopyArguments(Serialization.MessageCopier copier, object?[] arguments)
    {
        var copies = new object?[arguments.Length];
        for (var i = 0; i < arguments.Length; i++)
        {
            copies[i] = copier.Copy(arguments[i], ParameterTypes[i], $"{Name} argument {i}");
        }

        return copies;
    }
}
