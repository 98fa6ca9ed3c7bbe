using System.Text.Json;
using System.Text.Json.Nodes;

namespace SpotOptimizer.Tenancy.Lifecycle;

/// <summary>
/// Redacts an erased organization's personal data (its users' e-mails, its name) from a ledger entry's JSON: every
/// string value holding one becomes <see cref="Mark"/>, and every value under an e-mail key. Keys and structure stay,
/// so the entry still says what happened, not to whom.
/// </summary>
public static class PersonalData
{
    public const string Mark = "[redacted]";

    private static readonly string[] EmailKeys = ["email", "owner", "invited_email"];

    public static string? Redact(string? json, IReadOnlyCollection<string> personal)
    {
        if (json is null || personal.Count == 0) return json;
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(json);
        }
        catch (JsonException)
        {
            return Holds(json, personal) ? JsonSerializer.Serialize(Mark) : json;
        }

        var redacted = Walk(node, null, personal);
        return redacted is null ? json : redacted.ToJsonString();
    }

    /// <returns>The replacement for <paramref name="node"/> when it changed, else null.</returns>
    private static JsonNode? Walk(JsonNode? node, string? key, IReadOnlyCollection<string> personal)
    {
        switch (node)
        {
            case JsonObject obj:
                var objectChanged = false;
                foreach (var (name, child) in obj.ToList())
                {
                    if (Walk(child, name, personal) is { } replaced) (obj[name], objectChanged) = (replaced, true);
                }

                return objectChanged ? obj : null;
            case JsonArray array:
                var arrayChanged = false;
                for (var i = 0; i < array.Count; i++)
                {
                    if (Walk(array[i], key, personal) is { } replaced) (array[i], arrayChanged) = (replaced, true);
                }

                return arrayChanged ? array : null;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                var text = value.GetValue<string>();
                return text != Mark && (Holds(text, personal) || (key is not null && EmailKeys.Contains(key, StringComparer.OrdinalIgnoreCase)))
                    ? JsonValue.Create(Mark)
                    : null;
            default:
                return null;
        }
    }

    /// <summary>Whole-value matches for very short strings (a two-letter organization name would match nearly anything).</summary>
    private static bool Holds(string text, IReadOnlyCollection<string> personal) =>
        personal.Any(p => p.Length >= 4 ? text.Contains(p, StringComparison.OrdinalIgnoreCase) : string.Equals(text, p, StringComparison.OrdinalIgnoreCase));
}
