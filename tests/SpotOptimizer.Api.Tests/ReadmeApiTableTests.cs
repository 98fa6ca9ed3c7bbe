using System.Text;
using System.Text.Json;

namespace SpotOptimizer.Api.Tests;

/// <summary>
/// The README's API table is the OpenAPI document rendered as Markdown, so it cannot drift from the routes the app
/// maps. After adding or changing an endpoint, run this test with <c>UPDATE_README=1</c> to rewrite the table.
/// </summary>
public sealed class ReadmeApiTableTests
{
    private const string Begin = "<!-- api-table:begin (generated from /openapi/v1.json by ReadmeApiTableTests; do not edit by hand) -->";
    private const string End = "<!-- api-table:end -->";

    [Fact]
    public async Task ApiTable_InReadme_IsTheOpenApiDocumentsEndpoints()
    {
        await using var app = SpotOptimizerApp.Sqlite();
        using var document = JsonDocument.Parse(await app.CreateClient().GetStringAsync("/openapi/v1.json"));
        var operations = Operations(document.RootElement).ToList();
        var table = Render(operations);

        var readme = ReadmePath();
        var text = await File.ReadAllTextAsync(readme);
        var start = text.IndexOf(Begin, StringComparison.Ordinal);
        var end = text.IndexOf(End, StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start, $"README.md has no '{Begin}' … '{End}' section.");
        var current = text[(start + Begin.Length)..end];
        if (Environment.GetEnvironmentVariable("UPDATE_README") == "1" && current != table)
        {
            await File.WriteAllTextAsync(readme, text[..(start + Begin.Length)] + table + text[end..]);
            current = table;
        }

        Assert.True(current == table, "The README's API table differs from /openapi/v1.json; run this test with UPDATE_README=1 and commit README.md.");
        Assert.All(operations, o => Assert.False(string.IsNullOrWhiteSpace(o.Summary), $"{o.Method} {o.Path} has no OpenAPI summary (Api/Extensions/EndpointSummaries.cs)."));
    }

    private sealed record Operation(string Tag, string Method, string Path, string Summary);

    private static IEnumerable<Operation> Operations(JsonElement document)
    {
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                if (operation.Name is "parameters" or "summary" or "description") continue;
                var tag = operation.Value.TryGetProperty("tags", out var tags) && tags.GetArrayLength() > 0 ? tags[0].GetString()! : "";
                var summary = operation.Value.TryGetProperty("summary", out var s) ? s.GetString() ?? "" : "";
                yield return new Operation(tag, operation.Name.ToUpperInvariant(), path.Name, summary);
            }
        }
    }

    private static string Render(IEnumerable<Operation> operations)
    {
        var table = new StringBuilder("\n| Area | Method | Path | What it does |\n|---|---|---|---|\n");
        foreach (var o in operations.OrderBy(o => o.Tag, StringComparer.Ordinal).ThenBy(o => o.Path, StringComparer.Ordinal).ThenBy(o => o.Method, StringComparer.Ordinal))
        {
            table.Append($"| {o.Tag} | {o.Method} | `{o.Path}` | {o.Summary.Replace("|", "\\|", StringComparison.Ordinal)} |\n");
        }

        return table.ToString();
    }

    private static string ReadmePath()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "SpotOptimizer.sln"))) return Path.Combine(directory.FullName, "README.md");
        }

        throw new InvalidOperationException("The repository root (SpotOptimizer.sln) is not above the test's output folder.");
    }
}
