using SpotOptimizer.Cloud;

namespace SpotOptimizer.Grains.Execution;

/// <summary>Stopping and starting an instance (the Lab's live switch, and its rollback), each waited out until EC2 reports it done.</summary>
public sealed partial class CloudExecutor
{
    /// <summary>Stops the instance and waits until it is stopped. EC2 stops a stopped instance without complaint, so a retry is harmless.</summary>
    public Task<ExecutedAction> StopInstanceAsync(ExecutionScope scope, string key, string instanceId, CancellationToken cancellationToken) =>
        RunAsync(scope, ExecutorSteps.StopInstance, key, instanceId, async dryRun =>
        {
            var changes = await cloud.Instances.StopInstancesAsync(scope.Session, scope.Region, [instanceId], dryRun, cancellationToken);
            if (!dryRun) await WaitForStateAsync(scope, instanceId, InstanceState.Stopped, cancellationToken);
            return new StepResult(instanceId, $"{instanceId} {(changes.Count > 0 ? changes[0].Previous : null)} → {InstanceState.Stopped}");
        }, cancellationToken);

    /// <summary>
    /// Starts the instance and waits until it runs. One still stopping (a stop that ran out of time) is waited out
    /// first, as EC2 refuses to start an instance before it has stopped.
    /// </summary>
    public Task<ExecutedAction> StartInstanceAsync(ExecutionScope scope, string key, string instanceId, CancellationToken cancellationToken) =>
        RunAsync(scope, ExecutorSteps.StartInstance, key, instanceId, async dryRun =>
        {
            if (!dryRun) await PollAsync(() => StateAsync(scope, instanceId, cancellationToken), s => s != InstanceState.Stopping, $"{instanceId} still stopping", cancellationToken);
            var changes = await cloud.Instances.StartInstancesAsync(scope.Session, scope.Region, [instanceId], dryRun, cancellationToken);
            if (!dryRun) await WaitForStateAsync(scope, instanceId, InstanceState.Running, cancellationToken);
            return new StepResult(instanceId, $"{instanceId} {(changes.Count > 0 ? changes[0].Previous : null)} → {InstanceState.Running}");
        }, cancellationToken);

    /// <summary>Polls until the instance is in <paramref name="target"/>; one that is terminated or gone on the way fails the step.</summary>
    private Task WaitForStateAsync(ExecutionScope scope, string instanceId, InstanceState target, CancellationToken cancellationToken) =>
        PollAsync(async () =>
        {
            var state = await StateAsync(scope, instanceId, cancellationToken);
            return state is null or InstanceState.ShuttingDown or InstanceState.Terminated
                ? throw new CloudException(CloudErrorCodes.NotFound, $"{instanceId} went away while waiting for {target} ({state?.ToString() ?? "gone"}).")
                : state;
        }, s => s == target, $"{instanceId} not {target}", cancellationToken);

    private async Task<InstanceState?> StateAsync(ExecutionScope scope, string instanceId, CancellationToken cancellationToken) =>
        (await cloud.Ec2.DescribeInstancesAsync(scope.Session, scope.Region, cancellationToken)).FirstOrDefault(i => i.InstanceId == instanceId)?.State;

    /// <summary>Reads until <paramref name="done"/>, every ready poll; fails with <see cref="CloudErrorCodes.Timeout"/> after the ready timeout.</summary>
    private async Task PollAsync<T>(Func<Task<T>> read, Func<T, bool> done, string notYet, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + options.Value.ReadyTimeout;
        while (!done(await read()))
        {
            if (time.GetUtcNow() >= deadline)
                throw new CloudException(CloudErrorCodes.Timeout, $"{notYet} after {options.Value.ReadyTimeout.TotalSeconds:0} s.");
            await Task.Delay(options.Value.ReadyPoll, time, cancellationToken);
        }
    }
}
