using SpotOptimizer.Cloud;
using static SpotOptimizer.SimulatedAws.QueryXml;

namespace SpotOptimizer.SimulatedAws;

/// <summary>DescribeVolumes (by id, or by the instance they are attached to), AttachVolume and DetachVolume.</summary>
internal static class Ec2VolumesWire
{
    /// <summary>Sizes and types the simulated world does not model.</summary>
    private const string Size = "20";

    public static async Task<WireReply> DescribeAsync(Ec2Call call)
    {
        var ids = call.Parameters.List("VolumeId");
        var filters = call.Parameters.Filters();
        foreach (var (name, _) in filters)
            if (name is not ("attachment.instance-id" or "volume-id")) throw call.Invalid($"The filter '{name}' is invalid");
        var region = call.Request.Cloud.World.FindAccount(call.Session.AccountId)?.FindRegion(call.Region);
        var volumes = (region?.Volumes ?? []).ToDictionary(v => v.VolumeId, StringComparer.Ordinal);
        var missing = ids.Where(id => !volumes.ContainsKey(id)).ToList();
        if (missing.Count > 0) throw new AwsWireException(400, "InvalidVolume.NotFound", $"The volume '{missing[0]}' does not exist.");

        // Attachments are read through the simulated cloud (its permission check and call log), per instance they name.
        var instances = filters.Where(f => f.Name == "attachment.instance-id").SelectMany(f => f.Values).ToList();
        if (instances.Count == 0)
            instances = [.. (ids.Count > 0 ? ids.Select(id => volumes[id]) : volumes.Values).Select(v => v.Attachment?.InstanceId ?? "").Distinct(StringComparer.Ordinal)];
        if (instances.Count == 0) instances = [""];
        var attachments = new List<VolumeAttachment>();
        foreach (var instance in instances)
            attachments.AddRange(await call.Request.Cloud.Volumes.DescribeAttachedVolumesAsync(call.Session, call.Region, instance, call.Aborted));

        var volumeIds = filters.Where(f => f.Name == "volume-id").SelectMany(f => f.Values).Concat(ids).ToHashSet(StringComparer.Ordinal);
        var byInstance = filters.Any(f => f.Name == "attachment.instance-id");
        var shown = volumes.Values
            .Where(v => volumeIds.Count == 0 || volumeIds.Contains(v.VolumeId))
            .Where(v => !byInstance || attachments.Any(a => a.VolumeId == v.VolumeId))
            .ToList();
        var (page, next) = WirePaging.Page(shown, call.Parameters.Int("MaxResults") ?? int.MaxValue, call.Parameters.Get("NextToken"), call.Invalid);
        return call.Answer(WireReply.Xml(200, Ec2Response("DescribeVolumes", call.Request.RequestId,
            Ec2Set("volumeSet", page.Select(v =>
            {
                var attached = attachments.Where(a => a.VolumeId == v.VolumeId).ToList();
                return new object?[]
                {
                    Ec2("volumeId", v.VolumeId),
                    Ec2("size", Size),
                    Ec2("snapshotId"),
                    Ec2("availabilityZone", v.AvailabilityZone),
                    Ec2("status", attached.Count > 0 ? "in-use" : "available"),
                    Ec2("createTime", Time(DateTimeOffset.UnixEpoch)),
                    Ec2Set("attachmentSet", attached.Select(a => new object[]
                    {
                        Ec2("volumeId", a.VolumeId),
                        Ec2("instanceId", a.InstanceId),
                        Ec2("device", a.Device),
                        Ec2("status", Status(a.State)),
                        Ec2("attachTime", Time(call.Request.Now)),
                        Ec2("deleteOnTermination", "false"),
                    })),
                    Ec2("volumeType", "gp3"),
                    Ec2("encrypted", "false"),
                    Ec2("multiAttachEnabled", "false"),
                };
            })),
            next is null ? null : Ec2("nextToken", next))));
    }

    public static async Task<WireReply> AttachAsync(Ec2Call call)
    {
        var attachment = await call.Request.Cloud.Volumes.AttachVolumeAsync(call.Session, call.Region, call.Parameters.Required("VolumeId"),
            call.Parameters.Required("InstanceId"), call.Parameters.Required("Device"), call.DryRun, call.Aborted);
        return Answer(call, "AttachVolume", attachment);
    }

    public static async Task<WireReply> DetachAsync(Ec2Call call)
    {
        var attachment = await call.Request.Cloud.Volumes.DetachVolumeAsync(call.Session, call.Region, call.Parameters.Required("VolumeId"), call.DryRun, call.Aborted);
        return Answer(call, "DetachVolume", attachment);
    }

    private static WireReply Answer(Ec2Call call, string action, VolumeAttachment attachment) =>
        call.DryRun
            ? throw Ec2Call.DryRunSucceeded()
            : WireReply.Xml(200, Ec2Response(action, call.Request.RequestId,
                Ec2("volumeId", attachment.VolumeId),
                Ec2("instanceId", attachment.InstanceId),
                Ec2("device", attachment.Device),
                Ec2("status", Status(attachment.State)),
                Ec2("attachTime", Time(call.Request.Now))));

    private static string Status(VolumeAttachmentState state) => state switch
    {
        VolumeAttachmentState.Attaching => "attaching",
        VolumeAttachmentState.Attached => "attached",
        VolumeAttachmentState.Detaching => "detaching",
        _ => "detached",
    };
}
