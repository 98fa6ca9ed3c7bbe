using System.Text.Json;
using System.Text.Json.Nodes;

namespace SpotOptimizer.Tenancy.Lifecycle;

/// <summary>
/// Redacts an erased organization's personal data (its users' e-mails, its name, any e-mail address) from a ledger
/// entry's JSON: every string value holding one becomes <see cref="Mark"/>, and every value under an e-mail or URL key. Keys and structure stay,
/// so the entry still says what happened, not to whom.
/// </summary>
public static partial class PersonalData
{
    public const string Mark = "[redacted]";

    /// <summary>Keys whose values name or reach a person: e-mail fields, and the endpoints a tenant gave us for notifications.</summary>
    private static readonly string[] EmailKeys = ["email", "emails", "owner", "invited_email", "url"];

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
                    if (Walk(child, name, personal) is not { } replaced) continue;
                    // A container changed in place comes back as itself; only a replaced value is assigned (a node has one parent).
                    if (!ReferenceEquals(replaced, child)) obj[name] = replaced;
                    objectChanged = true;
                }

                return objectChanged ? obj : null;
            case JsonArray array:
                var arrayChanged = false;
                for (var i = 0; i < array.Count; i++)
                {
                    if (Walk(array[i], key, personal) is not { } replaced) continue;
                    if (!ReferenceEquals(replaced, array[i])) array[i] = replaced;
                    arrayChanged = true;
                }

                return arrayChanged ? array : null;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                var text = value.GetValue<string>();
                return text != Mark && (Holds(text, personal) || EmailAddress().IsMatch(text) || (key is not null && EmailKeys.Contains(key, StringComparer.OrdinalIgnoreCase)))
                    ? JsonValue.Create(Mark)
                    : null;
            default:
                return null;
        }
    }

    /// <summary>Any e-mail address, not only the users': a teammate invited, an on-call list in a notification rule.</summary>
    [System.Text.RegularExpressions.GeneratedRegex(@"[^\s@""<>]+@[^\s@""<>]+\.[A-Za-z]{2,}")]
    private static partial System.Text.RegularExpressions.Regex EmailAddress();

    /// <summary>Whole-value matches for very short strings (a two-letter organization name would match nearly anything).</summary>
    private static bool Holds(string text, IReadOnlyCollection<string> personal) =>
        personal.Any(p => p.Length >= 4 ? text.Contains(p, StringComparison.OrdinalIgnoreCase) : string.Equals(text, p, StringComparison.OrdinalIgnoreCase));
}
