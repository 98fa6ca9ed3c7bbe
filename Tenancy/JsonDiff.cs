using System.Text.Json;

namespace SpotOptimizer.Tenancy;

/// <summary>One changed field between a ledger entry's before and after documents, e.g. <c>max_nodes: 10 → 15</c>.</summary>
public sealed record FieldChange(string Field, string? Before, string? After);

/// <summary>Field-level differences of two JSON documents; nested objects flatten to dotted paths, arrays compare whole.</summary>
public static class JsonDiff
{
    public static IReadOnlyList<FieldChange> Compare(string? before, string? after)
    {
        var left = Flatten(before);
        var right = Flatten(after);
        return [.. left.Keys.Union(right.Keys).Order(StringComparer.Ordinal)
            .Select(field => new FieldChange(field, left.GetValueOrDefault(field), right.GetValueOrDefault(field)))
            .Where(change => change.Before != change.After)];
    }

    private static Dictionary<string, string> Flatten(string? json)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(json)) return fields;
        using var document = JsonDocument.Parse(json);
        Walk(document.RootElement, "", fields);
        return fields;
    }

    private static void Walk(JsonElement element, string path, Dictionary<string, string> fields)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in element.EnumerateObject()) Walk(property.Value, path.Length == 0 ? property.Name : $"{path}.{property.Name}", fields);
            return;
        }

        fields[path.Length == 0 ? "$" : path] = element.ValueKind == JsonValueKind.String ? element.GetString()! : element.GetRawText();
    }
}
