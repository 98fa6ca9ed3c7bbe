using System.Globalization;
using System.Text.Json;

namespace SpotOptimizer.Api.Tests;

/// <summary>
/// Holds a real answer to the OpenAPI document: its status and media type are declared for the operation, and a JSON
/// body matches the declared schema all the way down (no undeclared property, no missing required one, the declared
/// JSON type), which is what a generated client relies on.
/// </summary>
public sealed class OpenApiContract(JsonElement document)
{
    private readonly JsonElement _schemas = document.GetProperty("components").GetProperty("schemas");

    /// <returns>What does not match, each line naming the operation and the JSON path; empty when the answer matches.</returns>
    public IReadOnlyCollection<string> Check(string method, string template, int status, string? mediaType, string body)
    {
        var where = $"{method.ToUpperInvariant()} {template} {status}";
        if (!document.GetProperty("paths").TryGetProperty(template, out var item) || !item.TryGetProperty(method, out var operation)) return [$"{where}: no such operation"];
        if (!operation.GetProperty("responses").TryGetProperty(status.ToString(CultureInfo.InvariantCulture), out var response)) return [$"{where}: status not declared"];
        var hasContent = response.TryGetProperty("content", out var content);
        if (body.Length == 0) return hasContent ? [$"{where}: no body, but the document declares one"] : [];
        if (!hasContent || mediaType is null || !content.TryGetProperty(mediaType, out var media)) return [$"{where}: answered {mediaType}, which is not declared"];
        if (mediaType != "application/json") return [];

        var problems = new SortedSet<string>(StringComparer.Ordinal);
        Match(media.GetProperty("schema"), JsonDocument.Parse(body).RootElement, $"{where} $", problems);
        return problems;
    }

    /// <summary>
    /// Holds a request to the operation's declared body: JSON the caller sends must match the declared request schema
    /// (so a <c>.AcceptsJson&lt;WrongType&gt;()</c> shows as undeclared or missing properties), and sending none must be allowed.
    /// </summary>
    /// <returns>What does not match, each line naming the operation and the JSON path; empty when the request matches.</returns>
    public IReadOnlyCollection<string> CheckRequest(string method, string template, string? json)
    {
        var where = $"{method.ToUpperInvariant()} {template} request";
        if (!document.GetProperty("paths").TryGetProperty(template, out var item) || !item.TryGetProperty(method, out var operation)) return [$"{where}: no such operation"];
        var declared = operation.TryGetProperty("requestBody", out var requestBody);
        if (json is null)
        {
            return declared && requestBody.TryGetProperty("required", out var required) && required.GetBoolean() ? [$"{where}: sent no body, but the document requires one"] : [];
        }

        if (!declared || !requestBody.TryGetProperty("content", out var content) || !content.TryGetProperty("application/json", out var media))
        {
            return [$"{where}: sent JSON, but the document declares no JSON body"];
        }

        var problems = new SortedSet<string>(StringComparer.Ordinal);
        Match(media.GetProperty("schema"), JsonDocument.Parse(json).RootElement, $"{where} $", problems);
        return problems;
    }

    private void Match(JsonElement schema, JsonElement value, string at, ISet<string> problems)
    {
        schema = Resolve(schema);
        // How the generator spells a nullable reference: null, or the referenced type.
        if (schema.TryGetProperty("oneOf", out var oneOf))
        {
            var branches = oneOf.EnumerateArray().Select(Resolve).ToList();
            var nullable = branches.Any(b => Types(b).Contains("null"));
            if (value.ValueKind == JsonValueKind.Null)
            {
                if (!nullable) problems.Add($"{at}: null, which the schema does not allow");
                return;
            }

            schema = branches.First(b => !Types(b).SetEquals(["null"]));
        }

        var types = Types(schema);
        var kind = Kind(value);
        if (types.Count > 0 && !types.Contains(kind) && !(kind == "integer" && types.Contains("number")))
        {
            problems.Add($"{at}: {kind}, where the schema says {string.Join('|', types.Order(StringComparer.Ordinal))}");
            return;
        }

        if (value.ValueKind == JsonValueKind.Array && schema.TryGetProperty("items", out var items))
        {
            foreach (var element in value.EnumerateArray()) Match(items, element, at + "[]", problems);
        }
        else if (value.ValueKind == JsonValueKind.Object)
        {
            MatchObject(schema, value, at, problems);
        }
    }

    private void MatchObject(JsonElement schema, JsonElement value, string at, ISet<string> problems)
    {
        if (schema.TryGetProperty("properties", out var properties))
        {
            foreach (var property in value.EnumerateObject())
            {
                if (properties.TryGetProperty(property.Name, out var declared)) Match(declared, property.Value, $"{at}.{property.Name}", problems);
                else problems.Add($"{at}.{property.Name}: not declared");
            }

            var required = schema.TryGetProperty("required", out var names) ? names.EnumerateArray().Select(n => n.GetString()!) : [];
            foreach (var name in required.Where(n => !value.TryGetProperty(n, out _))) problems.Add($"{at}.{name}: required, but missing");
        }
        else if (schema.TryGetProperty("additionalProperties", out var values))
        {
            foreach (var property in value.EnumerateObject()) Match(values, property.Value, $"{at}.{property.Name}", problems);
        }
        else
        {
            problems.Add($"{at}: an object the schema does not describe");
        }
    }

    private JsonElement Resolve(JsonElement schema) =>
        schema.TryGetProperty("$ref", out var reference) ? Resolve(_schemas.GetProperty(reference.GetString()!["#/components/schemas/".Length..])) : schema;

    private static HashSet<string> Types(JsonElement schema) => !schema.TryGetProperty("type", out var type)
        ? []
        : type.ValueKind == JsonValueKind.Array ? [.. type.EnumerateArray().Select(t => t.GetString()!)] : [type.GetString()!];

    private static string Kind(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => value.TryGetInt64(out _) ? "integer" : "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        _ => "null",
    };
}
