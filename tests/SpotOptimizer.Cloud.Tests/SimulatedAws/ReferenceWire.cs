using System.Net;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Signing;
using SpotOptimizer.Cloud.Tests.Aws;

namespace SpotOptimizer.Cloud.Tests.SimulatedAws;

/// <summary>One raw answer of the simulator's wire: status, headers (names case-insensitive) and body.</summary>
public sealed record WireAnswer(HttpStatusCode Status, IReadOnlyDictionary<string, string> Headers, string Body);

/// <summary>
/// What the contract tests share: raw requests to the simulator's wire signed with SigV4 by AWSSDK.Core (Query form
/// POSTs, REST calls, AWS JSON calls), and the comparisons of an answer's shape with a reference example's.
/// </summary>
public static class ReferenceWire
{
    /// <summary>A Query-protocol form POST (EC2, STS, Auto Scaling); EC2's Version is added.</summary>
    public static async Task<string> QueryAsync(SimulatedAwsHost host, AWSCredentials credentials, string service, string[] form,
        HttpStatusCode expected = HttpStatusCode.OK)
    {
        var version = service switch { "ec2" => "Version=2016-11-15", "autoscaling" => "Version=2011-01-01", _ => "" };
        var body = string.Join('&', form.Append(version).Where(p => p.Length > 0).Distinct());
        var answer = await SendAsync(host, credentials, service, HttpMethod.Post, "", body, "application/x-www-form-urlencoded; charset=utf-8");
        Assert.True(expected == answer.Status, $"{answer.Status}: {answer.Body}");
        return answer.Body;
    }

    /// <summary>One signed request to <paramref name="service"/>'s root plus <paramref name="path"/>, the raw answer returned.</summary>
    public static async Task<WireAnswer> SendAsync(SimulatedAwsHost host, AWSCredentials credentials, string service, HttpMethod method, string path,
        string? body = null, string? contentType = null, IReadOnlyDictionary<string, string>? headers = null)
    {
        var content = body is null ? [] : Encoding.UTF8.GetBytes(body);
        var uri = new Uri(host.ServiceUrl(service) + path);
        var signing = new AWSSigningRequest { HttpMethod = method, RequestUri = uri, Content = content };
        if (contentType is not null) signing.Headers["Content-Type"] = contentType;
        foreach (var (name, value) in headers ?? new Dictionary<string, string>()) signing.Headers[name] = value;
        var signed = await AWSSigV4Signer.SignAsync(signing, new AWSSigV4Parameters
        {
            Credentials = credentials, Region = RegionEndpoint.GetBySystemName(SimulatedAwsHost.Region), Service = service, SignedAt = DateTime.UtcNow,
        });
        using var message = new HttpRequestMessage(method, uri);
        if (body is not null)
        {
            message.Content = new ByteArrayContent(content);
            if (contentType is not null) message.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }

        // The signer answers the headers it added; the caller's own (X-Amz-Target) are sent as given, and signed.
        foreach (var (name, value) in signed.Headers.Concat(headers ?? new Dictionary<string, string>()).DistinctBy(h => h.Key, StringComparer.OrdinalIgnoreCase))
            if (!name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase)) message.Headers.TryAddWithoutValidation(name, value);
        using var http = new HttpClient();
        using var response = await http.SendAsync(message);
        var answered = response.Headers.Concat(response.Content.Headers)
            .ToDictionary(h => h.Key, h => string.Join(',', h.Value), StringComparer.OrdinalIgnoreCase);
        return new WireAnswer(response.StatusCode, answered, await response.Content.ReadAsStringAsync());
    }

    /// <summary>
    /// Every element path of <paramref name="actual"/> is one of the reference's (repeated list items count once), under
    /// the same root. With <paramref name="required"/> (the paths the product or the SDK reads) those must all be there;
    /// without, at least half of the reference's paths must be (a reference printed whole, like the small EC2 ones).
    /// </summary>
    public static void AssertShape(FakeResponse reference, string actual, params string[] required)
    {
        var expectedRoot = XDocument.Parse(reference.Body).Root!;
        var actualRoot = XDocument.Parse(actual).Root!;
        var expected = Paths(expectedRoot);
        var paths = Paths(actualRoot);
        Assert.Equal(expectedRoot.Name, actualRoot.Name);
        var foreign = paths.Except(expected).ToList();
        Assert.True(foreign.Count == 0, $"not in the reference: {string.Join("; ", foreign)}");
        if (required.Length == 0)
            Assert.True(paths.Count >= expected.Count / 2, $"the answer has {paths.Count} of the reference's {expected.Count} elements");
        var missing = required.Except(paths).ToList();
        Assert.True(missing.Count == 0, $"missing: {string.Join("; ", missing)}");
    }

    /// <summary>
    /// The JSON variant: every property path of <paramref name="actual"/> is one of the reference's, with the same JSON
    /// type (string, number, boolean, object, array); array items count once (<c>[]</c>), and the keys of a map
    /// (<paramref name="maps"/>: <c>tags</c>, <c>labels</c>, …, whose keys are data) count as <c>*</c>. The paths in
    /// <paramref name="required"/> (what the product or the SDK reads) must all be there. A JSON null, which AWS never
    /// writes for an absent member, fails.
    /// </summary>
    public static void AssertJsonShape(string reference, string actual, string[] required, params string[] maps)
    {
        var expected = JsonPaths(reference, maps);
        var paths = JsonPaths(actual, maps);
        var foreign = paths.Where(p => !expected.TryGetValue(p.Key, out var kind) || kind != p.Value).Select(p => $"{p.Key}: {p.Value}").ToList();
        Assert.True(foreign.Count == 0, $"not as in the reference: {string.Join("; ", foreign)}");
        var missing = required.Except(paths.Keys).ToList();
        Assert.True(missing.Count == 0, $"missing: {string.Join("; ", missing)}");
    }

    public static IReadOnlyList<string> Leaves(XElement root) =>
        [.. root.Descendants().Where(e => !e.HasElements).Select(e => string.Join('/', e.AncestorsAndSelf().Reverse().Select(a => a.Name.LocalName)))];

    private static HashSet<string> Paths(XElement root) =>
        root.DescendantsAndSelf().Select(e => string.Join('/', e.AncestorsAndSelf().Reverse().Select(a => a.Name.LocalName))).ToHashSet(StringComparer.Ordinal);

    private static Dictionary<string, string> JsonPaths(string json, string[] maps)
    {
        using var document = JsonDocument.Parse(json);
        var paths = new Dictionary<string, string>(StringComparer.Ordinal);
        Walk(document.RootElement, "$", inMap: false);
        return paths;

        void Walk(JsonElement element, string path, bool inMap)
        {
            var kind = element.ValueKind switch
            {
                JsonValueKind.True or JsonValueKind.False => "boolean",
                var other => other.ToString().ToLowerInvariant(),
            };
            // One list item may be an object and another a string only in a malformed document: the first one seen stands.
            paths.TryAdd(path, kind);
            if (element.ValueKind == JsonValueKind.Object)
                foreach (var property in element.EnumerateObject())
                    Walk(property.Value, path + "." + (inMap ? "*" : property.Name), maps.Contains(property.Name, StringComparer.Ordinal) && !inMap);
            else if (element.ValueKind == JsonValueKind.Array)
                foreach (var item in element.EnumerateArray()) Walk(item, path + "[]", inMap: false);
        }
    }
}
