using System.Text.Json.Nodes;

namespace SpotOptimizer.SimulatedKubernetes;

/// <summary>
/// The three patch formats the API server takes on PATCH, applied to an object's JSON: a JSON merge patch (RFC 7386),
/// a strategic merge patch (for the fields the simulator keeps, a node's maps, flags and its taint list, which has no
/// merge key and is replaced whole, it is a merge patch; <c>$</c> directives are dropped), and a JSON patch (RFC 6902).
/// </summary>
internal static class KubernetesPatches
{
    public const string Merge = "application/merge-patch+json";
    public const string Strategic = "application/strategic-merge-patch+json";
    public const string Json = "application/json-patch+json";

    /// <returns>The patched object, or null with the reason when the patch is not one the API server would take.</returns>
    public static (JsonObject? Patched, string? Error) Apply(JsonObject target, string? contentType, string body)
    {
        JsonNode? patch;
        try
        {
            patch = JsonNode.Parse(body);
        }
        catch (System.Text.Json.JsonException e)
        {
            return (null, $"the patch is not JSON: {e.Message}");
        }

        var media = contentType?.Split(';')[0].Trim().ToLowerInvariant();
        return media switch
        {
            Merge or "application/json" => patch is JsonObject p ? ((JsonObject)MergeInto(target.DeepClone(), p, strategic: false)!, null) : (null, "a merge patch must be an object"),
            Strategic => patch is JsonObject s ? ((JsonObject)MergeInto(target.DeepClone(), s, strategic: true)!, null) : (null, "a strategic merge patch must be an object"),
            Json => patch is JsonArray ops ? JsonPatch((JsonObject)target.DeepClone(), ops) : (null, "a JSON patch must be an array of operations"),
            _ => (null, $"the media type '{contentType}' is not a patch type this API accepts"),
        };
    }

    private static JsonNode? MergeInto(JsonNode? target, JsonNode? patch, bool strategic)
    {
        if (patch is not JsonObject patchObject) return patch?.DeepClone();
        var result = target as JsonObject ?? new JsonObject();
        foreach (var (key, value) in patchObject)
        {
            if (strategic && key.StartsWith('$')) continue;
            if (value is null)
            {
                result.Remove(key);
                continue;
            }

            var existing = result[key];
            result.Remove(key);
            result[key] = MergeInto(existing, value, strategic);
        }

        return result;
    }

    private static (JsonObject? Patched, string? Error) JsonPatch(JsonObject target, JsonArray operations)
    {
        foreach (var operation in operations.OfType<JsonObject>())
        {
            var op = operation["op"]?.GetValue<string>();
            var path = operation["path"]?.GetValue<string>() ?? "";
            var tokens = path.Split('/').Skip(1).Select(t => t.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)).ToArray();
            if (tokens.Length == 0) return (null, $"the path '{path}' names no field");
            if (Parent(target, tokens, create: op == "add") is not { } parent) return (null, $"the path '{path}' does not exist");
            var last = tokens[^1];
            var error = op switch
            {
                "add" => Add(parent, last, operation["value"]?.DeepClone()),
                "replace" => Exists(parent, last) ? Replace(parent, last, operation["value"]?.DeepClone()) : $"the path '{path}' does not exist",
                "remove" => Exists(parent, last) ? Remove(parent, last) : $"the path '{path}' does not exist",
                "test" => Exists(parent, last) && JsonNode.DeepEquals(Get(parent, last), operation["value"]) ? null : $"the test of '{path}' failed",
                _ => $"the operation '{op}' is not supported",
            };
            if (error is not null) return (null, error);
        }

        return (target, null);
    }

    /// <summary>The container of the path's last token; an add may create the missing objects on the way, as the API server's does not, to keep adds of a first label simple.</summary>
    private static JsonNode? Parent(JsonNode node, string[] tokens, bool create)
    {
        foreach (var token in tokens[..^1])
        {
            var next = node is JsonArray array ? (int.TryParse(token, out var i) && i < array.Count ? array[i] : null) : node[token];
            if (next is null && create && node is JsonObject parent) parent[token] = next = new JsonObject();
            if (next is null) return null;
            node = next;
        }

        return node;
    }

    private static bool Exists(JsonNode parent, string token) => parent switch
    {
        JsonObject o => o.ContainsKey(token),
        JsonArray a => int.TryParse(token, out var i) && i >= 0 && i < a.Count,
        _ => false,
    };

    private static JsonNode? Get(JsonNode parent, string token) => parent is JsonArray a ? a[int.Parse(token, System.Globalization.CultureInfo.InvariantCulture)] : parent[token];

    private static string? Add(JsonNode parent, string token, JsonNode? value)
    {
        switch (parent)
        {
            case JsonObject o:
                o[token] = value;
                return null;
            case JsonArray a when token == "-":
                a.Add(value);
                return null;
            case JsonArray a when int.TryParse(token, out var i) && i >= 0 && i <= a.Count:
                a.Insert(i, value);
                return null;
            default:
                return $"cannot add at '{token}'";
        }
    }

    private static string? Replace(JsonNode parent, string token, JsonNode? value)
    {
        Remove(parent, token);
        return Add(parent, token, value);
    }

    private static string? Remove(JsonNode parent, string token)
    {
        if (parent is JsonObject o) o.Remove(token);
        else if (parent is JsonArray a) a.RemoveAt(int.Parse(token, System.Globalization.CultureInfo.InvariantCulture));
        return null;
    }
}
