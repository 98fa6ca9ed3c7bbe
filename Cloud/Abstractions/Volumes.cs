namespace SpotOptimizer.Cloud;

/// <summary>EBS volumes (the lab's live switch moves a volume to the new Spot node). Served by the simulator and by AWS (EC2 DetachVolume).</summary>
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
