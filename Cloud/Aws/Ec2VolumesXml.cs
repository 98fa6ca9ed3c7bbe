using System.Xml.Linq;
using static SpotOptimizer.Cloud.Aws.AwsXml;

namespace SpotOptimizer.Cloud.Aws;

/// <summary>Reads volume attachments: a DetachVolume answer (the attachment at the root) or DescribeVolumes' <c>volumeSet/item/attachmentSet/item</c>.</summary>
internal static class Ec2VolumesXml
{
    public static VolumeAttachment ParseDetach(string xml) => Attachment(Root(xml, CloudActions.DetachVolume), CloudActions.DetachVolume);

    /// <summary>The volume's attachments; empty when it is not attached to anything.</summary>
    public static IReadOnlyList<VolumeAttachment> ParseAttachments(string xml, string volumeId) =>
        Entries(Child(Root(xml, CloudActions.DescribeVolumes), "volumeSet"))
            .Where(v => Text(v, "volumeId") == volumeId)
            .SelectMany(v => Entries(Child(v, "attachmentSet")))
            .Select(a => Attachment(a, CloudActions.DescribeVolumes))
            .ToList();

    private static VolumeAttachment Attachment(XElement element, string operation) => new(
        Text(element, "volumeId") ?? throw Malformed(operation, "an attachment without volumeId"),
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
