using System.Xml.Linq;
using static SpotOptimizer.Cloud.Aws.AwsXml;

namespace SpotOptimizer.Cloud.Aws;

/// <summary>
/// Reads volume attachments: a DetachVolume or AttachVolume answer (the attachment at the root) or DescribeVolumes'
/// <c>volumeSet/item/attachmentSet/item</c>.
/// </summary>
internal static class Ec2VolumesXml
{
    public static VolumeAttachment ParseDetach(string xml) => Attachment(Root(xml, CloudActions.DetachVolume), CloudActions.DetachVolume);

    public static VolumeAttachment ParseAttach(string xml) => Attachment(Root(xml, CloudActions.AttachVolume), CloudActions.AttachVolume);

    /// <summary>The volume's attachments; empty when it is not attached to anything.</summary>
    public static IReadOnlyList<VolumeAttachment> ParseAttachments(string xml, string volumeId) =>
        Attachments(Root(xml, CloudActions.DescribeVolumes)).Where(a => a.VolumeId == volumeId).ToList();

    /// <summary>
    /// One DescribeVolumes page: the attachments to <paramref name="instanceId"/> and the next token. A multi-attach
    /// volume lists its other instances too, so the attachments are filtered as well as the volumes.
    /// </summary>
    public static (IReadOnlyList<VolumeAttachment> Attachments, string? NextToken) ParseAttachedTo(string xml, string instanceId)
    {
        var root = Root(xml, CloudActions.DescribeVolumes);
        return (Attachments(root).Where(a => a.InstanceId == instanceId).ToList(), NextToken(root));
    }

    private static IEnumerable<VolumeAttachment> Attachments(XElement root) =>
        Entries(Child(root, "volumeSet"))
            .SelectMany(v => Entries(Child(v, "attachmentSet")).Select(a => Attachment(a, CloudActions.DescribeVolumes, Text(v, "volumeId"))));

    /// <param name="volumeId">The enclosing volume's id, for an attachment item that omits its own.</param>
    private static VolumeAttachment Attachment(XElement element, string operation, string? volumeId = null) => new(
        Text(element, "volumeId") ?? volumeId ?? throw Malformed(operation, "an attachment without volumeId"),
        Text(element, "instanceId") ?? "",
        Text(element, "device") ?? "",
        Text(element, "status") switch
        {
            "attaching" => VolumeAttachmentState.Attaching,
            "attached" => VolumeAttachmentState.Attached,
            "detaching" => VolumeAttachmentState.Detaching,
            "detached" => VolumeAttachmentState.Detached,
            var other => throw Malformed(operation, $"unknown attachment status '{other}'"),
        });
}
