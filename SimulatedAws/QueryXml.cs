using System.Globalization;
using System.Xml.Linq;

namespace SpotOptimizer.SimulatedAws;

/// <summary>Building Query-protocol answers: each service's XML namespace, its list items, its time format.</summary>
internal static class QueryXml
{
    public static readonly XNamespace Ec2Namespace = "http://ec2.amazonaws.com/doc/2016-11-15/";
    public static readonly XNamespace StsNamespace = "https://sts.amazonaws.com/doc/2011-06-15/";
    public static readonly XNamespace AutoScalingNamespace = "http://autoscaling.amazonaws.com/doc/2011-01-01/";

    /// <summary>An EC2 element: EC2 names its elements camelCase in its namespace.</summary>
    public static XElement Ec2(string name, params object?[] content) => new(Ec2Namespace + name, content);

    /// <summary>An EC2 list: each entry an <c>item</c>.</summary>
    public static XElement Ec2Set(string name, IEnumerable<object> items) => new(Ec2Namespace + name, items.Select(i => new XElement(Ec2Namespace + "item", i)));

    /// <summary>EC2's answer root: <c>{Action}Response</c> with its request id first.</summary>
    public static XElement Ec2Response(string action, string requestId, params object?[] content) =>
        new(Ec2Namespace + (action + "Response"), new XElement(Ec2Namespace + "requestId", requestId), content);

    /// <summary>STS's and Auto Scaling's answer root: <c>{Action}Response/{Action}Result</c>, then <c>ResponseMetadata/RequestId</c>.</summary>
    public static XElement Result(XNamespace ns, string action, string requestId, params object?[] result) =>
        new(ns + (action + "Response"),
            result.Length == 0 ? null : new XElement(ns + (action + "Result"), result),
            new XElement(ns + "ResponseMetadata", new XElement(ns + "RequestId", requestId)));

    /// <summary>ISO 8601 UTC with milliseconds, as EC2 and Auto Scaling write times.</summary>
    public static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Bool(bool value) => value ? "true" : "false";
}
