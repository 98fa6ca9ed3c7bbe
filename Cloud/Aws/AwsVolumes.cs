namespace SpotOptimizer.Cloud.Aws;

/// <summary>EBS volume detach (EC2 DetachVolume).</summary>
internal sealed class AwsVolumes(AwsEc2 ec2) : IVolumes
{
    /// <summary>
    /// DetachVolume; EC2 answers the attachment, now detaching. A dry run tells only that the call would be allowed,
    /// so the attachment is read from DescribeVolumes and answered as it would be (detaching), as the simulator does;
    /// a volume that is not attached is refused (<see cref="CloudErrorCodes.InvalidRequest"/>, <c>IncorrectState</c>) like EC2 refuses it.
    /// </summary>
    public async Task<VolumeAttachment> DetachVolumeAsync(CloudSession session, string region, string volumeId, bool dryRun, CancellationToken cancellationToken = default)
    {
        if (!dryRun)
            return Ec2VolumesXml.ParseDetach(await ec2.Api.InvokeAsync(session, region, CloudActions.DetachVolume, [new("VolumeId", volumeId)], cancellationToken));

        await ec2.Api.DryRunAsync(session, region, CloudActions.DetachVolume, [new("VolumeId", volumeId)], cancellationToken);
        var body = await ec2.Api.InvokeAsync(session, region, CloudActions.DescribeVolumes, [new("VolumeId.1", volumeId)], cancellationToken);
        var attached = Ec2VolumesXml.ParseAttachments(body, volumeId).FirstOrDefault(a => a.State == VolumeAttachmentState.Attached)
            ?? throw new CloudException(CloudErrorCodes.InvalidRequest, $"Volume '{volumeId}' is not attached.") { ProviderCode = "IncorrectState", Operation = CloudActions.DetachVolume };
        return attached with { State = VolumeAttachmentState.Detaching };
    }
}
