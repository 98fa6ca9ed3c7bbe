using System.Net;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;

namespace SpotOptimizer.Cloud.Aws;

/// <summary>How an AWS protocol reports errors: the Query protocol (EC2, Auto Scaling, STS) in XML, REST-JSON (EKS) in a header and JSON.</summary>
internal static class AwsProtocols
{
    public const string FormContentType = "application/x-www-form-urlencoded; charset=utf-8";

    /// <summary>A Query-protocol body: percent-encoded (RFC 3986) pairs, in the given order.</summary>
    public static byte[] FormBody(IEnumerable<KeyValuePair<string, string>> parameters) =>
        Encoding.UTF8.GetBytes(string.Join('&', parameters.Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}")));

    /// <summary>
    /// EC2's <c>&lt;Response&gt;&lt;Errors&gt;&lt;Error&gt;</c> and the other Query services' <c>&lt;ErrorResponse&gt;&lt;Error&gt;</c>
    /// both carry <c>Code</c> and <c>Message</c> under an <c>Error</c> element.
    /// </summary>
    public static AwsError QueryError(HttpStatusCode status, string body)
    {
        try
        {
            var error = XDocument.Parse(body).Descendants().FirstOrDefault(e => e.Name.LocalName == "Error");
            var code = error?.Elements().FirstOrDefault(e => e.Name.LocalName == "Code")?.Value;
            if (!string.IsNullOrEmpty(code))
                return new AwsError(code, error!.Elements().FirstOrDefault(e => e.Name.LocalName == "Message")?.Value ?? "");
        }
        catch (System.Xml.XmlException)
        {
            // Not XML (a proxy's HTML page, an empty 503): fall through to the status.
        }

        return StatusError(status, body);
    }

    /// <summary>REST-JSON: the code is in <c>x-amzn-ErrorType</c> ("Code:namespace-uri") or the body's <c>__type</c>/<c>code</c>.</summary>
    public static AwsError JsonError(HttpResponseMessage response, string body)
    {
        string? code = response.Headers.TryGetValues("x-amzn-ErrorType", out var values) ? values.FirstOrDefault() : null;
        string? message = null;
        try
        {
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.ValueKind == JsonValueKind.Object)
            {
                code ??= Property(json.RootElement, "__type") ?? Property(json.RootElement, "code");
                message = Property(json.RootElement, "message") ?? Property(json.RootElement, "Message");
            }
        }
        catch (JsonException)
        {
            // Not JSON: keep what the header said.
        }

        if (string.IsNullOrEmpty(code)) return StatusError(response.StatusCode, body);
        code = code.Split(':')[0];
        code = code[(code.LastIndexOf('#') + 1)..];
        return new AwsError(code, message ?? "");
    }

    private static string? Property(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static AwsError StatusError(HttpStatusCode status, string body) => new(
        (int)status >= 500 ? "ServiceUnavailable" : $"Http{(int)status}",
        body.Length > 200 ? body[..200] : body);
}
