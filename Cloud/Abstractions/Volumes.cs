namespace SpotOptimizer.Cloud;

/// <summary>EBS volumes (the lab's live switch moves a volume to the new Spot node). Designed; simulator only.</summary>
public interface IVolumes
{
    Task<VolumeAttachment> DetachVolumeAsync(CloudSession session, string region, string volumeId, bool dryRun, CancellationToken cancellationToken = default);
}

public enum VolumeAttachmentState
{
    Attaching,
    Attached,
    Detaching,
    Detached,
}

public sealed record VolumeAttachment(string VolumeId, string InstanceId, string Device, VolumeAttachmentState State);
