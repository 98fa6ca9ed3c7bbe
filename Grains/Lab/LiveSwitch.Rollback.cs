using SpotOptimizer.Grains.Execution;
using SpotOptimizer.Grains.Interfaces.Lab;

namespace SpotOptimizer.Grains.Lab;

/// <summary>Undoing a failed live switch, in reverse: volumes off the Spot instance, the Spot instance terminated, volumes back on the original, the original started.</summary>
public sealed partial class LiveSwitch
{
    private async Task<LiveSwitchResult> FailAsync(ExecutionScope scope, LiveSwitchPlan plan, Attempt run, string failedStep, ExecutedAction failure,
        CancellationToken cancellationToken)
    {
        // A dry run changed nothing, so there is nothing to undo (and its undo steps could not be validated against a world that never changed).
        var rolledBack = scope.DryRun ? null : await RollbackAsync(scope, plan, run, cancellationToken);
        return new LiveSwitchResult(LiveSwitchOutcomes.Failed, run.SpotInstanceId, run.BootTimeMs, failedStep, failure.ErrorCode, rolledBack, run.Steps);
    }

    /// <returns>Whether every undo succeeded; null when nothing had been done.</returns>
    private async Task<bool?> RollbackAsync(ExecutionScope scope, LiveSwitchPlan plan, Attempt run, CancellationToken cancellationToken)
    {
        var undone = new List<bool>();
        if (run.SpotInstanceId is { } spot)
        {
            foreach (var volume in Enumerable.Reverse(run.OnSpot))
            {
                undone.Add((await run.StepAsync(LiveSwitchSteps.DetachFromSpot, $"detach {volume.VolumeId} from {spot}", undo: true,
                    () => executor.DetachVolumeAsync(scope, StepKey(scope, plan, $"rollback/detach/{volume.VolumeId}"), volume.VolumeId, cancellationToken))).Succeeded);
            }

            undone.Add((await run.StepAsync(LiveSwitchSteps.TerminateSpot, $"terminate {spot}", undo: true,
                () => executor.TerminateAsync(scope, StepKey(scope, plan, "rollback/terminate"), ExecutorSteps.TerminateLaunched, spot, cancellationToken))).Succeeded);
        }

        foreach (var volume in Enumerable.Reverse(run.Detached))
        {
            undone.Add((await run.StepAsync(LiveSwitchSteps.ReattachVolume, $"attach {volume.VolumeId} to {plan.InstanceId} as {volume.Device}", undo: true,
                () => executor.AttachVolumeAsync(scope, StepKey(scope, plan, $"rollback/attach/{volume.VolumeId}"), volume.VolumeId, plan.InstanceId, volume.Device,
                    cancellationToken))).Succeeded);
        }

        if (run.Stopped)
        {
            undone.Add((await run.StepAsync(LiveSwitchSteps.StartInstance, $"start {plan.InstanceId}", undo: true,
                () => executor.StartInstanceAsync(scope, StepKey(scope, plan, "rollback/start"), plan.InstanceId, cancellationToken))).Succeeded);
        }

        return undone.Count == 0 ? null : undone.TrueForAll(u => u);
    }
}
