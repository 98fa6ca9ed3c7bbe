using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;

namespace SpotOptimizer.SimulatedAws;

/// <summary>
/// The parameters of a Query-protocol request (form body): scalars, numbered lists (<c>Name.1</c>, <c>Name.2</c>; Auto
/// Scaling's <c>Name.member.1</c>) and EC2 filters (<c>Filter.N.Name</c> with <c>Filter.N.Value.M</c>).
/// </summary>
internal sealed class QueryParameters(IReadOnlyDictionary<string, string> values)
{
    public static QueryParameters Parse(byte[] body)
    {
        var parsed = QueryHelpers.ParseQuery(Encoding.UTF8.GetString(body));
        return new QueryParameters(parsed.ToDictionary(p => p.Key, p => p.Value.ToString(), StringComparer.Ordinal));
    }

    public string? Action => Get("Action");

    public string? Get(string name) => values.TryGetValue(name, out var value) ? value : null;

    public string Required(string name) =>
        Get(name) is { Length: > 0 } value ? value : throw new AwsWireException(400, "MissingParameter", $"The request must contain the parameter {name}");

    /// <summary>Whether any parameter lies under the structure <paramref name="prefix"/> (<c>Prefix.Member…</c>).</summary>
    public bool Any(string prefix) => values.Keys.Any(k => k.StartsWith(prefix + ".", StringComparison.Ordinal));

    public bool Flag(string name) => string.Equals(Get(name), "true", StringComparison.OrdinalIgnoreCase);

    public int? Int(string name)
    {
        if (Get(name) is not { } text) return null;
        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new AwsWireException(400, "InvalidParameterValue", $"Value ({text}) for parameter {name} is invalid. Expected an integer.");
    }

    public DateTimeOffset? Time(string name)
    {
        if (Get(name) is not { } text) return null;
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value)
            ? value
            : throw new AwsWireException(400, "InvalidParameterValue", $"Value ({text}) for parameter {name} is invalid. Expected a timestamp.");
    }

    /// <summary><c>{prefix}.1</c>, <c>{prefix}.2</c> … in order, stopping at the first gap (as AWS reads them).</summary>
    public IReadOnlyList<string> List(string prefix)
    {
        var items = new List<string>();
        for (var i = 1; Get($"{prefix}.{i.ToString(CultureInfo.InvariantCulture)}") is { } value; i++) items.Add(value);
        return items;
    }

    /// <summary>The numbered groups under <paramref name="prefix"/> (<c>Filter.1.*</c>, <c>Filter.2.*</c> …), each with its own parameters.</summary>
    public IReadOnlyList<QueryParameters> Groups(string prefix)
    {
        var groups = new List<QueryParameters>();
        for (var i = 1; ; i++)
        {
            var start = $"{prefix}.{i.ToString(CultureInfo.InvariantCulture)}.";
            var members = values.Where(p => p.Key.StartsWith(start, StringComparison.Ordinal)).ToDictionary(p => p.Key[start.Length..], p => p.Value, StringComparer.Ordinal);
            if (members.Count == 0) return groups;
            groups.Add(new QueryParameters(members));
        }
    }

    /// <summary>EC2 filters by name, each with its values.</summary>
    public IReadOnlyList<(string Name, IReadOnlyList<string> Values)> Filters() =>
        Groups("Filter").Select(f => (f.Required("Name"), f.List("Value"))).ToList();

    /// <summary>The tags of the <paramref name="resourceType"/> tag specification (<c>TagSpecification.N.Tag.M.Key/Value</c>).</summary>
    public IReadOnlyDictionary<string, string> Tags(string resourceType) =>
        Groups("TagSpecification").Where(s => s.Get("ResourceType") == resourceType)
            .SelectMany(s => s.Groups("Tag"))
            .Where(t => t.Get("Key") is { Length: > 0 })
            .GroupBy(t => t.Get("Key")!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Last().Get("Value") ?? "", StringComparer.Ordinal);
}
