using System.Text.Json;

namespace SpotOptimizer.Optimization.Market;

/// <summary>
/// Reads the AWS Spot Advisor feed: <c>{instance_types, ranges, global_rate, spot_advisor: {region: {os: {type: {s, r}}}}}</c>.
/// </summary>
public static class SpotAdvisorParser
{
    public static SpotAdvisorSnapshot Parse(Stream json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var ranges = ParseRanges(Required(root, "ranges"));
        var globalRate = root.TryGetProperty("global_rate", out var rate) ? rate.GetString() ?? "" : "";

        var types = new List<AdvisorInstanceType>();
        if (root.TryGetProperty("instance_types", out var typesElement))
        {
            foreach (var type in typesElement.EnumerateObject())
            {
                types.Add(new AdvisorInstanceType(
                    type.Name,
                    type.Value.TryGetProperty("cores", out var cores) ? cores.GetInt32() : 0,
                    type.Value.TryGetProperty("ram_gb", out var ram) ? ram.GetDouble() : 0,
                    type.Value.TryGetProperty("emr", out var emr) && emr.ValueKind == JsonValueKind.True));
            }
        }

        var entries = new List<SpotAdvisorEntry>();
        foreach (var region in Required(root, "spot_advisor").EnumerateObject())
        {
            foreach (var os in region.Value.EnumerateObject())
            {
                foreach (var type in os.Value.EnumerateObject())
                {
                    var bucket = Required(type.Value, "r").GetInt32();
                    if (bucket < 0 || bucket >= ranges.Count)
                    {
                        throw new FormatException($"{region.Name}/{os.Name}/{type.Name}: bucket {bucket} outside 0..{ranges.Count - 1}");
                    }

                    entries.Add(new SpotAdvisorEntry(region.Name, os.Name, type.Name, Required(type.Value, "s").GetInt32(), bucket));
                }
            }
        }

        return new SpotAdvisorSnapshot(ranges, globalRate, types, entries);
    }

    private static List<InterruptionRange> ParseRanges(JsonElement element)
    {
        var ranges = element.EnumerateArray()
            .Select(r => new InterruptionRange(Required(r, "index").GetInt32(), Required(r, "label").GetString() ?? "", Required(r, "max").GetInt32()))
            .OrderBy(r => r.Index)
            .ToList();
        for (var i = 0; i < ranges.Count; i++)
        {
            if (ranges[i].Index != i) throw new FormatException($"ranges: expected index {i}, got {ranges[i].Index}");
        }

        return ranges;
    }

    private static JsonElement Required(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) ? value : throw new FormatException($"Spot Advisor feed: missing '{name}'");
}
