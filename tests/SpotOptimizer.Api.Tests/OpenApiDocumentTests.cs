using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace SpotOptimizer.Api.Tests;

/// <summary>The OpenAPI document a client generator reads (typed errors on every operation) and its interactive reference at <c>/scalar</c>.</summary>
public sealed partial class OpenApiDocumentTests(ApiConventionsTests.App app) : IClassFixture<ApiConventionsTests.App>
{
    private readonly HttpClient _client = app.Factory.CreateClient();

    [Fact]
    public async Task EveryApiOperation_ErrorsAreProblemDetails_WithTheSharedSchema()
    {
        using var document = await DocumentAsync();
        var root = document.RootElement;
        var schema = root.GetProperty("components").GetProperty("schemas").GetProperty("ProblemDetails");
        Assert.Equal("string", schema.GetProperty("properties").GetProperty("code").GetProperty("type").GetString());

        var operations = Operations(root).Where(o => o.Path.StartsWith("/api/", StringComparison.Ordinal)).ToList();
        Assert.True(operations.Count > 50, $"only {operations.Count} API operations in the document");
        // Only a public read that takes nothing cannot fail with a 4xx.
        var withoutErrors = operations.Where(o => !o.Operation.GetProperty("responses").EnumerateObject().Any(r => r.Name.StartsWith('4'))).Select(o => $"{o.Method} {o.Path}");
        Assert.Equal(["get /api/connect/template"], withoutErrors);
        foreach (var (path, method, operation) in operations)
        {
            var errors = operation.GetProperty("responses").EnumerateObject().Where(r => r.Name.StartsWith('4')).ToList();
            foreach (var error in errors)
            {
                var reference = error.Value.GetProperty("content").GetProperty("application/problem+json").GetProperty("schema").GetProperty("$ref").GetString();
                Assert.Equal("#/components/schemas/ProblemDetails", reference);
            }
        }
    }

    /// <summary>A client generator types each answer from its 2xx response: a status without a schema is an untyped blob.</summary>
    [Fact]
    public async Task EveryOperation_DeclaresItsSuccess_WithASchemaOrItsContentType()
    {
        using var document = await DocumentAsync();
        var offenders = new List<string>();
        foreach (var (path, method, operation) in Operations(document.RootElement))
        {
            var successes = operation.GetProperty("responses").EnumerateObject().Where(r => r.Name.StartsWith('2')).ToList();
            if (successes.Count == 0) offenders.Add($"{method.ToUpperInvariant()} {path}: no 2xx response");
            foreach (var success in successes)
            {
                if (Untyped(success) is { } why) offenders.Add($"{method.ToUpperInvariant()} {path} {success.Name}: {why}");
            }
        }

        Assert.True(offenders.Count == 0, "Operations whose success is not typed:\n" + string.Join('\n', offenders));
    }

    /// <summary>
    /// Writes that read no body, each with why: every other POST, PUT and PATCH reads its JSON itself (JsonBody), which
    /// the generator cannot see, so it must say <c>.AcceptsJson&lt;TRequest&gt;()</c> or a generated client has no request type.
    /// </summary>
    private static readonly Dictionary<string, string> BodylessWrites = new(StringComparer.Ordinal)
    {
        ["POST /api/auth/logout"] = "revokes the bearer token the request carries",
        ["POST /api/connect/link"] = "issues an external id for the caller's organization",
        ["POST /api/clusters/{id}/optimize"] = "the cluster is the path's id",
        ["PATCH /api/templates/{id}/default"] = "the template is the path's id",
        ["POST /api/notifications/signing-secret"] = "rotates the organization's secret",
        ["POST /api/notifications/test"] = "sends to the organization's saved rules",
        ["POST /api/lab/experiments/{id}/stop"] = "the experiment is the path's id",
        ["POST /api/lab/rollback"] = "rolls production back to the model before the current one",
    };

    [Fact]
    public async Task EveryWrite_DeclaresTheJsonBodyItReads_UnlessItReadsNone()
    {
        using var document = await DocumentAsync();
        var offenders = new List<string>();
        var operations = Operations(document.RootElement).Select(o => (Key: $"{o.Method.ToUpperInvariant()} {o.Path}", o.Method, o.Operation)).ToList();
        foreach (var (key, method, operation) in operations)
        {
            var declared = operation.TryGetProperty("requestBody", out var body);
            // Reads are body-less; of the deletes, only the organization's reads one (its typed confirmation).
            var reads = method is "get" or "delete" ? key == "DELETE /api/organization" : !BodylessWrites.ContainsKey(key);
            if (declared != reads)
            {
                offenders.Add(declared
                    ? $"{key}: declares a request body, but reads none{(BodylessWrites.TryGetValue(key, out var why) ? $" ({why})" : "")}"
                    : $"{key}: no requestBody (say .AcceptsJson<TRequest>(), or list it as body-less with why)");
                continue;
            }

            if (!declared) continue;
            // A file upload is a form (the Lab's model upload); everything else is JSON.
            var content = body.GetProperty("content");
            if (content.TryGetProperty("multipart/form-data", out var form))
            {
                var schemas = document.RootElement.GetProperty("components").GetProperty("schemas");
                JsonElement Resolve(JsonElement s) => s.TryGetProperty("$ref", out var r) ? schemas.GetProperty(r.GetString()!.Split('/')[^1]) : s;
                var schema = Resolve(form.GetProperty("schema"));
                var file = schema.TryGetProperty("properties", out var fields) && fields.TryGetProperty("file", out var f) ? Resolve(f) : default;
                if (file.ValueKind != JsonValueKind.Object || !file.TryGetProperty("format", out var format) || format.GetString() != "binary"
                    || !schema.GetProperty("required").EnumerateArray().Select(e => e.GetString()).SequenceEqual(["file"]))
                {
                    offenders.Add($"{key}: the form does not declare exactly one required binary file ({schema})");
                }
            }
            else if (!content.TryGetProperty("application/json", out var media) || !media.GetProperty("schema").TryGetProperty("$ref", out _))
            {
                offenders.Add($"{key}: the body is not a typed application/json schema ({body})");
            }

            if (!body.TryGetProperty("required", out var required) || !required.GetBoolean()) offenders.Add($"{key}: the body is not required");
        }

        offenders.AddRange(BodylessWrites.Keys.Except(operations.Select(o => o.Key)).Select(stale => $"{stale}: allowed without a body, but not in the document"));
        Assert.True(offenders.Count == 0, "Request bodies that differ from what the handlers read:\n" + string.Join('\n', offenders));
        Assert.True(operations.Count(o => o.Operation.TryGetProperty("requestBody", out _)) >= 30, "fewer request bodies than the API reads");
    }

    /// <summary>A request schema names the wire's snake_case fields, and lists as required those an empty object is rejected for.</summary>
    [Theory]
    [InlineData("/api/auth/signup", "post", "SignupRequest", "email,org_name,password", "")]
    [InlineData("/api/agent/heartbeat", "post", "HeartbeatRequest", "agent_version", "node_count,pod_count")]
    [InlineData("/api/agent/inventory", "post", "AgentInventoryRequest", "agent_version,daemonset_overhead,nodes,pods,workloads", "")]
    [InlineData("/api/agent/safe-mode", "post", "SafeModeReport", "entered_at,reason,state", "actions,unreachable_seconds")]
    [InlineData("/api/admin/safe-mode", "patch", "SafeModeRequest", "enabled", "reason")]
    [InlineData("/api/policies/headroom", "patch", "HeadroomRequest", "cluster_id,cpu_millicores,memory_mib,share_of_requests", "")]
    [InlineData("/api/audit/retention", "put", "RetentionRequest", "days", "")]
    [InlineData("/api/commitments", "post", "DeclareRequest", "ends_at,kind,starts_at",
        "discount_percent,family,hourly_commitment,hourly_rate,instance_count,instance_type,region,zone")]
    [InlineData("/api/organization", "delete", "DeleteRequest", "", "confirm")]
    [InlineData("/api/templates", "post", "CreateTemplateRequest", "architectures,families,max_vcpu,min_vcpu,name,strategy", "")]
    public async Task RequestSchema_NamesTheWireFields_AndTheRequiredOnes(string path, string method, string name, string required, string optional)
    {
        using var document = await DocumentAsync();
        var root = document.RootElement;
        var body = root.GetProperty("paths").GetProperty(path).GetProperty(method).GetProperty("requestBody").GetProperty("content").GetProperty("application/json");
        Assert.Equal($"#/components/schemas/{name}", body.GetProperty("schema").GetProperty("$ref").GetString());
        var schema = root.GetProperty("components").GetProperty("schemas").GetProperty(name);

        var properties = schema.GetProperty("properties").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal);
        Assert.Equal(Split(required).Concat(Split(optional)).Order(StringComparer.Ordinal), properties);
        Assert.Equal(Split(required), schema.TryGetProperty("required", out var names) ? names.EnumerateArray().Select(n => n.GetString()!).Order(StringComparer.Ordinal) : []);

        static string[] Split(string names) => names.Split(',', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>Items inside a body: required as the item's own validation says, or nothing claimed when it is validated elsewhere.</summary>
    [Theory]
    [InlineData("InventoryResourcesRequest", "cpu_millicores,memory_mib,pods")]
    [InlineData("InventoryPodRequest", "cpu_request_millicores,memory_request_mib,name,namespace,owner_kind,priority,workload")]
    [InlineData("RuleRequest", "")]
    public async Task RequestItemSchema_ListsTheFieldsItsValidationRequires(string name, string required)
    {
        using var document = await DocumentAsync();
        var schema = document.RootElement.GetProperty("components").GetProperty("schemas").GetProperty(name);

        Assert.Equal(required.Split(',', StringSplitOptions.RemoveEmptyEntries),
            schema.TryGetProperty("required", out var names) ? names.EnumerateArray().Select(n => n.GetString()!).Order(StringComparer.Ordinal) : []);
    }

    /// <summary>The API writes numbers as numbers; "integer or string" (the web defaults' lenient reading) would type them as strings in a client.</summary>
    [Fact]
    public async Task Schemas_TypeNumbersAsTheWireWritesThem()
    {
        using var document = await DocumentAsync();
        var loose = document.RootElement.GetProperty("components").GetProperty("schemas").EnumerateObject()
            .SelectMany(s => s.Value.TryGetProperty("properties", out var properties)
                ? properties.EnumerateObject().Select(p => (Name: $"{s.Name}.{p.Name}", Schema: p.Value))
                : [])
            .Where(p => p.Schema.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.Array
                && type.EnumerateArray().Select(t => t.GetString()).Intersect(["integer", "number"]).Any() && type.EnumerateArray().Any(t => t.GetString() == "string"))
            .Select(p => p.Name);
        Assert.Empty(loose);
    }

    /// <returns>Why the response does not type its body, or null when it does (a 204 has none).</returns>
    private static string? Untyped(JsonProperty response)
    {
        var content = response.Value.TryGetProperty("content", out var c) ? c.EnumerateObject().ToList() : [];
        if (response.Name == "204") return content.Count == 0 ? null : "a 204 with a body";
        if (content.Count == 0) return "no content";
        foreach (var media in content)
        {
            if (!media.Value.TryGetProperty("schema", out var schema)) return $"{media.Name} without a schema";
            var json = media.Name == "application/json" || media.Name.EndsWith("+json", StringComparison.Ordinal);
            var type = schema.TryGetProperty("type", out var t) ? t.ToString() : null;
            if (!json && type != "string") return $"{media.Name} is not text (schema {schema})";
            var typed = schema.TryGetProperty("$ref", out _)
                || (type == "array" && schema.TryGetProperty("items", out var items) && (items.TryGetProperty("$ref", out _) || items.TryGetProperty("type", out _)))
                || (type == "object" && schema.TryGetProperty("properties", out _));
            if (json && !typed) return $"{media.Name} has the untyped schema {schema}";
        }

        return null;
    }

    [Theory]
    [InlineData("/api/clusters/{id}", "get", "401,403,404", "429")]
    [InlineData("/api/auth/token", "post", "400,429", "401,404")]
    [InlineData("/api/auth/signup", "post", "400,429", "401,403")]
    [InlineData("/api/admin/clients", "get", "401,403", "404,429")]
    public async Task Operation_ListsTheFailuresItsEndpointCanAnswer(string path, string method, string listed, string notListed)
    {
        using var document = await DocumentAsync();
        var responses = document.RootElement.GetProperty("paths").GetProperty(path).GetProperty(method).GetProperty("responses");

        Assert.All(listed.Split(','), status => Assert.True(responses.TryGetProperty(status, out _), $"{method} {path} lacks {status}"));
        Assert.All(notListed.Split(','), status => Assert.False(responses.TryGetProperty(status, out _), $"{method} {path} lists {status}"));
    }

    [Fact]
    public async Task Scalar_ServesTheReferenceOfTheDocument_WithItsOwnScript()
    {
        using var page = await _client.GetAsync("/scalar");
        var html = await page.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("openapi/v1.json", html, StringComparison.Ordinal);
        var script = ScriptSource().Matches(html).Select(m => m.Groups["src"].Value).First(s => s.Contains("scalar", StringComparison.OrdinalIgnoreCase));
        Assert.False(script.StartsWith("http", StringComparison.Ordinal), $"the reference loads {script} from elsewhere");
        using var asset = await _client.GetAsync(new Uri(page.RequestMessage!.RequestUri!, script));
        Assert.Equal(HttpStatusCode.OK, asset.StatusCode);
        Assert.True((await asset.Content.ReadAsByteArrayAsync()).Length > 10_000, "the script is served whole");
    }

    private async Task<JsonDocument> DocumentAsync() => JsonDocument.Parse(await _client.GetStringAsync("/openapi/v1.json"));

    private static IEnumerable<(string Path, string Method, JsonElement Operation)> Operations(JsonElement root) =>
        root.GetProperty("paths").EnumerateObject().SelectMany(p => p.Value.EnumerateObject()
            .Where(m => m.Name is "get" or "post" or "put" or "patch" or "delete")
            .Select(m => (p.Name, m.Name, m.Value)));

    [GeneratedRegex("""<script[^>]*\ssrc="(?<src>[^"]+)"[^>]*>""")]
    private static partial Regex ScriptSource();
}
