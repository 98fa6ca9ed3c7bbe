namespace SpotOptimizer.Cloud;

/// <summary>
/// EBS volumes (the lab's live switch moves an instance's volumes to a new Spot instance). Served by the simulator and
/// by AWS (EC2 DescribeVolumes, DetachVolume, AttachVolume). EBS volumes are zonal: one attaches only to an instance
/// of its own availability zone, and to one instance at a time.
/// </summary>
public interface IVolumes
{
    /// <summary>The attachments of the volumes attached to <paramref name="instanceId"/> (EC2 DescribeVolumes filtered by <c>attachment.instance-id</c>), all pages.</summary>
    Task<IReadOnlyList<VolumeAttachment>> DescribeAttachedVolumesAsync(CloudSession session, string region, string instanceId, CancellationToken cancellationToken = default);

    Task<VolumeAttachment> DetachVolumeAsync(CloudSession session, string region, string volumeId, bool dryRun, CancellationToken cancellationToken = default);

    /// <summary>
    /// EC2 AttachVolume; answers the attachment, attaching. Refused (<see cref="CloudErrorCodes.InvalidRequest"/>, with
    /// EC2's own code as <see cref="CloudException.ProviderCode"/>) when the volume is attached already
    /// (<c>VolumeInUse</c>), lies in another availability zone (<c>InvalidVolume.ZoneMismatch</c>), the instance is
    /// neither running nor stopped (<c>IncorrectInstanceState</c>) or the device name is taken (<c>InvalidParameterValue</c>).
    /// </summary>
    Task<VolumeAttachment> AttachVolumeAsync(CloudSession session, string region, string volumeId, string instanceId, string device, bool dryRun,
        CancellationToken cancellationToken = default);
}

public enum VolumeAttachmentState
{
    Attaching,
    Attached,
    Detaching,
    Detached,
}

public sealed record VolumeAttachment(string VolumeId, string InstanceId, string Device, VolumeAttachmentState State);
