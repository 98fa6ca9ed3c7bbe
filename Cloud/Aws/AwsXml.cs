using System.Globalization;
using System.Xml.Linq;

namespace SpotOptimizer.Cloud.Aws;

/// <summary>
/// Reading Auto Scaling's Query-protocol answers (EC2's are read by AWSSDK.EC2). Matching by local name ignores the namespace;
/// walking direct children only keeps nested sets (a network interface's <c>tagSet</c>) out of their parent's fields.
/// </summary>
internal static class AwsXml
{
    /// <summary>The document's root; an unreadable answer fails as <see cref="CloudErrorCodes.CloudError"/> naming <paramref name="operation"/>.</summary>
    public static XElement Root(string xml, string operation)
    {
        try
        {
            return XDocument.Parse(xml).Root ?? throw Malformed(operation, "empty document");
        }
        catch (System.Xml.XmlException e)
        {
            throw Malformed(operation, e.Message);
        }
    }

    public static XElement? Child(XElement? parent, string name) => parent?.Elements().FirstOrDefault(e => e.Name.LocalName == name);

    public static string? Text(XElement? parent, string name) => Child(parent, name)?.Value;

    /// <summary>The entries of a list: EC2 wraps them in <c>item</c>, Auto Scaling in <c>member</c>.</summary>
    public static IEnumerable<XElement> Entries(XElement? list) =>
        list?.Elements().Where(e => e.Name.LocalName is "item" or "member") ?? [];

    /// <summary>A pagination token; AWS ends a listing with an absent or empty one.</summary>
    public static string? NextToken(XElement? parent, string name = "nextToken") => Text(parent, name) is { Length: > 0 } token ? token : null;

    public static int Int(XElement? parent, string name, string operation) =>
        int.TryParse(Text(parent, name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : throw Malformed(operation, $"no integer {name}");

    public static CloudException Malformed(string operation, string detail) =>
        new(CloudErrorCodes.CloudError, $"Unreadable {operation} response: {detail}.") { Operation = operation };
}
