namespace SpotOptimizer.Cloud.Aws;

/// <summary>EBS volumes: an instance's attachments, detach and attach (EC2 DescribeVolumes, DetachVolume, AttachVolume).</summary>
internal sealed class AwsVolumes(AwsEc2 ec2) : IVolumes
{
    /// <summary>EC2's largest DescribeVolumes page: an instance has far fewer volumes, so one page is the rule.</summary>
    private const string PageSize = "500";

    public Task<IReadOnlyList<VolumeAttachment>> DescribeAttachedVolumesAsync(CloudSession session, string region, string instanceId,
        CancellationToken cancellationToken = default) =>
        ec2.Api.ListAsync<VolumeAttachment>(session, region, CloudActions.DescribeVolumes,
            [new("Filter.1.Name", "attachment.instance-id"), new("Filter.1.Value.1", instanceId), new("MaxResults", PageSize)],
            xml => Ec2VolumesXml.ParseAttachedTo(xml, instanceId), cancellationToken);

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
        var attached = (await AttachmentsAsync(session, region, volumeId, cancellationToken)).FirstOrDefault(a => a.State == VolumeAttachmentState.Attached)
            ?? throw new CloudException(CloudErrorCodes.InvalidRequest, $"Volume '{volumeId}' is not attached.") { ProviderCode = "IncorrectState", Operation = CloudActions.DetachVolume };
        return attached with { State = VolumeAttachmentState.Detaching };
    }

    /// <summary>
    /// AttachVolume; EC2 answers the attachment, attaching. A dry run tells only that the call would be allowed, so the
    /// volume is read from DescribeVolumes: one attached already is refused (<c>VolumeInUse</c>) as EC2 would refuse it,
    /// else the would-be attachment is answered. The zone and the device are left to EC2's answer to the real call.
    /// </summary>
    public async Task<VolumeAttachment> AttachVolumeAsync(CloudSession session, string region, string volumeId, string instanceId, string device, bool dryRun,
        CancellationToken cancellationToken = default)
    {
        List<KeyValuePair<string, string>> parameters = [new("VolumeId", volumeId), new("InstanceId", instanceId), new("Device", device)];
        if (!dryRun) return Ec2VolumesXml.ParseAttach(await ec2.Api.InvokeAsync(session, region, CloudActions.AttachVolume, parameters, cancellationToken));

        await ec2.Api.DryRunAsync(session, region, CloudActions.AttachVolume, parameters, cancellationToken);
        if (await AttachmentsAsync(session, region, volumeId, cancellationToken) is [var current, ..])
        {
            throw new CloudException(CloudErrorCodes.InvalidRequest, $"{volumeId} is already attached to an instance ({current.InstanceId}).")
            {
                ProviderCode = "VolumeInUse",
                Operation = CloudActions.AttachVolume,
            };
        }

        return new VolumeAttachment(volumeId, instanceId, device, VolumeAttachmentState.Attaching);
    }

    private async Task<IReadOnlyList<VolumeAttachment>> AttachmentsAsync(CloudSession session, string region, string volumeId, CancellationToken cancellationToken) =>
        Ec2VolumesXml.ParseAttachments(await ec2.Api.InvokeAsync(session, region, CloudActions.DescribeVolumes, [new("VolumeId.1", volumeId)], cancellationToken), volumeId);
}
