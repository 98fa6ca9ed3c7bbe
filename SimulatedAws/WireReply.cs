using System.Text.Json.Nodes;
using System.Xml.Linq;
using Microsoft.AspNetCore.Http;

namespace SpotOptimizer.SimulatedAws;

/// <summary>One answer on the wire: status, content type, body and any extra headers.</summary>
internal sealed record WireReply(int Status, string ContentType, string Body)
{
    public IReadOnlyDictionary<string, string>? Headers { get; init; }

    public static WireReply Xml(int status, XElement root) =>
        new(status, "text/xml;charset=UTF-8", new XDocument(new XDeclaration("1.0", "UTF-8", null), root).Declaration + "\n" + root.ToString(SaveOptions.DisableFormatting));

    public static WireReply Json(int status, JsonNode body) => new(status, "application/json", body.ToJsonString());

    public async Task WriteAsync(HttpResponse response, CancellationToken cancellationToken)
    {
        response.StatusCode = Status;
        response.ContentType = ContentType;
        foreach (var (name, value) in Headers ?? new Dictionary<string, string>()) response.Headers[name] = value;
        await response.WriteAsync(Body, cancellationToken);
    }
}
