using System.Globalization;
using System.Text.RegularExpressions;

namespace SpotOptimizer.Storage;

/// <summary>
/// One numbered schema change of a module, embedded as <c>{prefix}{dialect}.NNN_description.sql</c>.
/// Scripts are found by resource name, so adding a change is adding a file.
/// </summary>
internal sealed partial record SchemaScript(int Version, string Name, string Sql)
{
    /// <summary>A module's scripts, embedded as <c>{resourcePrefix}{dialect}.NNN_description.sql</c>, in the order they must run.</summary>
    public static IReadOnlyList<SchemaScript> For(System.Reflection.Assembly assembly, string resourcePrefix, string dialectName)
    {
        var prefix = $"{resourcePrefix}{dialectName}.";
        var scripts = new List<SchemaScript>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            if (!resource.StartsWith(prefix, StringComparison.Ordinal))
            {
                continue;
            }

            var match = ScriptFileName().Match(resource[prefix.Length..]);
            if (!match.Success)
            {
                throw new InvalidOperationException($"Schema resource '{resource}' is not named NNN_description.sql.");
            }

            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            var version = int.Parse(match.Groups["version"].Value, NumberStyles.None, CultureInfo.InvariantCulture);
            scripts.Add(new SchemaScript(version, match.Groups["name"].Value, reader.ReadToEnd()));
        }

        scripts.Sort((left, right) => left.Version.CompareTo(right.Version));
        for (var i = 1; i < scripts.Count; i++)
        {
            if (scripts[i].Version == scripts[i - 1].Version)
            {
                throw new InvalidOperationException($"Two {dialectName} schema scripts share version {scripts[i].Version}.");
            }
        }

        return scripts;
    }

    [GeneratedRegex(@"^(?<version>\d+)_(?<name>\w+)\.sql$", RegexOptions.CultureInvariant)]
    private static partial Regex ScriptFileName();
}
