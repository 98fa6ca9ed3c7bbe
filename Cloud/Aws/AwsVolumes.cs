using Amazon.EC2.Model;

namespace SpotOptimizer.Cloud.Aws;

/// <summary>EBS volumes: an instance's attachments, detach and attach (EC2 DescribeVolumes, DetachVolume, AttachVolume).</summary>
internal sealed class AwsVolumes(AwsEc2 ec2) : IVolumes
{
    /// <summary>EC2's largest DescribeVolumes page: an instance has far fewer volumes, so one page is the rule.</summary>
    private const int PageSize = 500;

    public Task<IReadOnlyList<Cloud.VolumeAttachment>> DescribeAttachedVolumesAsync(CloudSession session, string region, string instanceId,
        CancellationToken cancellationToken = default) =>
        // A multi-attach volume lists its other instances too, so the attachments are filtered as well as the volumes.
        ec2.Api.ListAsync(session, region, CloudActions.DescribeVolumes,
            (client, token, t) => client.DescribeVolumesAsync(new DescribeVolumesRequest
            {
                Filters = [new Filter("attachment.instance-id", [instanceId])],
                MaxResults = PageSize,
                NextToken = token,
            }, t),
            response => (Attachments(response).Where(a => a.InstanceId == instanceId).ToList(), response.NextToken), cancellationToken);

    /// <summary>
    /// DetachVolume; EC2 answers the attachment, now detaching. A dry run tells only that the call would be allowed,
    /// so the attachment is read from DescribeVolumes and answered as it would be (detaching), as the simulator does;
    /// a volume that is not attached is refused (<see cref="CloudErrorCodes.InvalidRequest"/>, <c>IncorrectState</c>) like EC2 refuses it.
    /// </summary>
    public async Task<Cloud.VolumeAttachment> DetachVolumeAsync(CloudSession session, string region, string volumeId, bool dryRun, CancellationToken cancellationToken = default)
    {
        if (!dryRun)
        {
            var detached = await ec2.Api.CallAsync(session, region, CloudActions.DetachVolume,
                (client, t) => client.DetachVolumeAsync(new DetachVolumeRequest { VolumeId = volumeId }, t), cancellationToken);
            var a = detached.Attachment;
            return Ec2Model.Attachment(a?.VolumeId ?? volumeId, a?.InstanceId, a?.Device, a?.State?.Value, CloudActions.DetachVolume);
        }

        await ec2.Api.DryRunAsync(session, region, CloudActions.DetachVolume,
            (client, t) => client.DetachVolumeAsync(new DetachVolumeRequest { VolumeId = volumeId, DryRun = true }, t), cancellationToken);
        var attached = (await AttachmentsAsync(session, region, volumeId, cancellationToken)).FirstOrDefault(a => a.State == VolumeAttachmentState.Attached)
            ?? throw new CloudException(CloudErrorCodes.InvalidRequest, $"Volume '{volumeId}' is not attached.") { ProviderCode = "IncorrectState", Operation = CloudActions.DetachVolume };
        return attached with { State = VolumeAttachmentState.Detaching };
    }

    /// <summary>
    /// AttachVolume; EC2 answers the attachment, attaching. A dry run tells only that the call would be allowed, so the
    /// volume is read from DescribeVolumes: one attached already is refused (<c>VolumeInUse</c>) as EC2 would refuse it,
    /// else the would-be attachment is answered. The zone and the device are left to EC2's answer to the real call.
    /// </summary>
    public async Task<Cloud.VolumeAttachment> AttachVolumeAsync(CloudSession session, string region, string volumeId, string instanceId, string device, bool dryRun,
        CancellationToken cancellationToken = default)
    {
        if (!dryRun)
        {
            var attached = await ec2.Api.CallAsync(session, region, CloudActions.AttachVolume,
                (client, t) => client.AttachVolumeAsync(new AttachVolumeRequest { VolumeId = volumeId, InstanceId = instanceId, Device = device }, t), cancellationToken);
            var a = attached.Attachment;
            return Ec2Model.Attachment(a?.VolumeId ?? volumeId, a?.InstanceId, a?.Device, a?.State?.Value, CloudActions.AttachVolume);
        }

        await ec2.Api.DryRunAsync(session, region, CloudActions.AttachVolume,
            (client, t) => client.AttachVolumeAsync(new AttachVolumeRequest { VolumeId = volumeId, InstanceId = instanceId, Device = device, DryRun = true }, t),
            cancellationToken);
        if (await AttachmentsAsync(session, region, volumeId, cancellationToken) is [var current, ..])
        {
            throw new CloudException(CloudErrorCodes.InvalidRequest, $"{volumeId} is already attached to an instance ({current.InstanceId}).")
            {
                ProviderCode = "VolumeInUse",
                Operation = CloudActions.AttachVolume,
            };
        }

        return new Cloud.VolumeAttachment(volumeId, instanceId, device, VolumeAttachmentState.Attaching);
    }

    /// <summary>The volume's attachments; empty when it is not attached to anything.</summary>
    private async Task<IReadOnlyList<Cloud.VolumeAttachment>> AttachmentsAsync(CloudSession session, string region, string volumeId, CancellationToken cancellationToken) =>
        Attachments(await ec2.Api.CallAsync(session, region, CloudActions.DescribeVolumes,
            (client, t) => client.DescribeVolumesAsync(new DescribeVolumesRequest { VolumeIds = [volumeId] }, t), cancellationToken))
            .Where(a => a.VolumeId == volumeId).ToList();

    /// <param name="response">Attachment items may omit their volume id: the enclosing volume's is used.</param>
    private static IEnumerable<Cloud.VolumeAttachment> Attachments(DescribeVolumesResponse response) =>
        (response.Volumes ?? []).SelectMany(v => (v.Attachments ?? []).Select(a =>
            Ec2Model.Attachment(a.VolumeId ?? v.VolumeId, a.InstanceId, a.Device, a.State?.Value, CloudActions.DescribeVolumes))).ToList();
}
