using System.Globalization;
using System.Xml.Linq;

namespace SpotOptimizer.Cloud.Aws;

/// <summary>
/// Reading Query-protocol answers. Matching by local name keeps one reader for EC2's and Auto Scaling's namespaces;
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

    public static DateTimeOffset? Time(string? value) =>
        DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time) ? time : null;

    /// <summary>The ISO 8601 UTC form the Query APIs take for times.</summary>
    public static string Format(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public static CloudException Malformed(string operation, string detail) =>
        new(CloudErrorCodes.CloudError, $"Unreadable {operation} response: {detail}.") { Operation = operation };
}
