using SpotOptimizer.Cloud;

namespace SpotOptimizer.Grains.Execution;

/// <summary>Moving EBS volumes (the Lab's live switch moves an instance's volumes to the new Spot instance, and back on rollback).</summary>
public sealed partial class CloudExecutor
{
    /// <summary>
    /// Detaches an EBS volume and waits until EC2 reports it detached, so it can be attached elsewhere. Detaching a
    /// detached volume is refused by EC2, so the key guards the retry.
    /// </summary>
    public Task<ExecutedAction> DetachVolumeAsync(ExecutionScope scope, string key, string volumeId, CancellationToken cancellationToken) =>
        RunAsync(scope, ExecutorSteps.DetachVolume, key, volumeId, async dryRun =>
        {
            var attachment = await cloud.Volumes.DetachVolumeAsync(scope.Session, scope.Region, volumeId, dryRun, cancellationToken);
            if (!dryRun)
            {
                await PollAsync(() => cloud.Volumes.DescribeAttachedVolumesAsync(scope.Session, scope.Region, attachment.InstanceId, cancellationToken),
                    attached => !attached.Any(a => a.VolumeId == volumeId), $"{volumeId} still attached to {attachment.InstanceId}", cancellationToken);
            }

            return new StepResult(attachment.InstanceId, $"{volumeId} from {attachment.InstanceId} ({attachment.Device})");
        }, cancellationToken);

    /// <summary>
    /// Attaches an EBS volume under <paramref name="device"/> and waits until EC2 reports it attached. Attaching an
    /// attached volume is refused by EC2, so the key guards the retry.
    /// </summary>
    /// <param name="instanceId">Null only under a dry run whose launch created nothing to attach to: the step is then logged without a cloud call.</param>
    public Task<ExecutedAction> AttachVolumeAsync(ExecutionScope scope, string key, string volumeId, string? instanceId, string device, CancellationToken cancellationToken)
    {
        if (instanceId is null && !scope.DryRun) throw new ArgumentNullException(nameof(instanceId), "Only a dry run attaches to an instance not launched.");
        var what = $"{volumeId} to {instanceId ?? "the new instance"} as {device}";
        return RunAsync(scope, ExecutorSteps.AttachVolume, key, what, async dryRun =>
        {
            if (instanceId is null) return new StepResult(null, what);
            var attachment = await cloud.Volumes.AttachVolumeAsync(scope.Session, scope.Region, volumeId, instanceId, device, dryRun, cancellationToken);
            if (!dryRun)
            {
                await PollAsync(() => cloud.Volumes.DescribeAttachedVolumesAsync(scope.Session, scope.Region, instanceId, cancellationToken),
                    attached => attached.Any(a => a.VolumeId == volumeId && a.State == VolumeAttachmentState.Attached),
                    $"{volumeId} not attached to {instanceId}", cancellationToken);
            }

            return new StepResult(instanceId, $"{volumeId} to {instanceId} as {attachment.Device}");
        }, cancellationToken);
    }
}
