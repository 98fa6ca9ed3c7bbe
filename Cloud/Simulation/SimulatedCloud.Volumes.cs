namespace SpotOptimizer.Cloud.Simulation;

/// <summary>
/// EBS volumes as EC2 rules them: a volume attaches only when it is available, only to a running or stopped instance
/// of its own availability zone, and only under a device name the instance does not use yet (its root device included).
/// </summary>
public sealed partial class SimulatedCloud
{
    private static SimulatedVolume FindVolume(SimulatedRegion region, string volumeId) =>
        region.FindVolume(volumeId)
        ?? throw new CloudException(CloudErrorCodes.NotFound, $"The volume '{volumeId}' does not exist.") { ProviderCode = "InvalidVolume.NotFound" };

    private async Task<VolumeAttachment> DetachAsync(Scope scope, string volumeId, bool dryRun, CancellationToken cancellationToken)
    {
        var attachment = FindVolume(scope.Region, volumeId).Attachment
            ?? throw new CloudException(CloudErrorCodes.InvalidRequest, $"Volume '{volumeId}' is in the 'available' state.") { ProviderCode = "IncorrectState" };
        if (!dryRun)
        {
            await UpdateAsync(world => world.UpdateRegion(scope.Account.AccountId, scope.Region.Name, r =>
                r.WithVolume(FindVolume(r, volumeId) with { Attachment = null })), cancellationToken);
        }

        return attachment with { State = VolumeAttachmentState.Detaching };
    }

    private async Task<VolumeAttachment> AttachAsync(Scope scope, string volumeId, string instanceId, string device, bool dryRun, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(device))
            throw new CloudException(CloudErrorCodes.InvalidRequest, "The request must contain the parameter Device.") { ProviderCode = "MissingParameter" };
        var instance = Live(scope, instanceId);
        if (instance.State is not (InstanceState.Running or InstanceState.Stopped))
        {
            throw new CloudException(CloudErrorCodes.InvalidRequest, $"Instance '{instanceId}' is {instance.State}; a volume attaches only to a running or stopped instance.")
            {
                ProviderCode = "IncorrectInstanceState",
            };
        }

        var attachment = new VolumeAttachment(volumeId, instanceId, device, VolumeAttachmentState.Attached);
        ThrowIfCannotAttach(scope.Region, instance, attachment);
        if (!dryRun)
        {
            // Checked again inside the change: another call may have taken the volume or the device since the read.
            await UpdateAsync(world => world.UpdateRegion(scope.Account.AccountId, scope.Region.Name, r =>
            {
                ThrowIfCannotAttach(r, instance, attachment);
                return r.WithVolume(FindVolume(r, volumeId) with { Attachment = attachment });
            }), cancellationToken);
        }

        return attachment with { State = VolumeAttachmentState.Attaching };
    }

    private static void ThrowIfCannotAttach(SimulatedRegion region, Ec2Instance instance, VolumeAttachment attachment)
    {
        var volume = FindVolume(region, attachment.VolumeId);
        if (volume.Attachment is { } current)
        {
            throw new CloudException(CloudErrorCodes.InvalidRequest, $"{volume.VolumeId} is already attached to an instance ({current.InstanceId}).")
            {
                ProviderCode = "VolumeInUse",
            };
        }

        if (volume.AvailabilityZone != instance.AvailabilityZone)
        {
            throw new CloudException(CloudErrorCodes.InvalidRequest,
                $"The volume '{volume.VolumeId}' is not in the same availability zone as instance '{attachment.InstanceId}'.")
            {
                ProviderCode = "InvalidVolume.ZoneMismatch",
            };
        }

        var taken = attachment.Device == instance.RootDeviceName
            || region.Volumes.Any(v => v.Attachment?.InstanceId == attachment.InstanceId && v.Attachment.Device == attachment.Device);
        if (taken)
            throw new CloudException(CloudErrorCodes.InvalidRequest, $"Attachment point {attachment.Device} is already in use.") { ProviderCode = "InvalidParameterValue" };
    }

    private sealed class VolumesView(SimulatedCloud cloud) : IVolumes
    {
        public Task<IReadOnlyList<VolumeAttachment>> DescribeAttachedVolumesAsync(CloudSession session, string region, string instanceId,
            CancellationToken cancellationToken = default) =>
            cloud.RunAs<IReadOnlyList<VolumeAttachment>>(session, CloudActions.DescribeVolumes, region, $"instance={instanceId}", cancellationToken,
                scope => scope.Region.Volumes.Select(v => v.Attachment).OfType<VolumeAttachment>().Where(a => a.InstanceId == instanceId).ToList());

        public Task<VolumeAttachment> DetachVolumeAsync(CloudSession session, string region, string volumeId, bool dryRun, CancellationToken cancellationToken = default) =>
            cloud.RunAs(session, CloudActions.DetachVolume, region, $"volume={volumeId} dryRun={dryRun}", cancellationToken,
                scope => cloud.DetachAsync(scope, volumeId, dryRun, cancellationToken));

        public Task<VolumeAttachment> AttachVolumeAsync(CloudSession session, string region, string volumeId, string instanceId, string device, bool dryRun,
            CancellationToken cancellationToken = default) =>
            cloud.RunAs(session, CloudActions.AttachVolume, region, $"volume={volumeId} instance={instanceId} device={device} dryRun={dryRun}", cancellationToken,
                scope => cloud.AttachAsync(scope, volumeId, instanceId, device, dryRun, cancellationToken));
    }
}
