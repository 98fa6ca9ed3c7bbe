using System.Globalization;
using System.Text;

namespace SpotOptimizer.Bench;

/// <summary>One Markdown table of results; a row with a target shows PASS or MISS, one without is informational.</summary>
internal sealed class ResultTable(string title)
{
    private readonly List<(string Metric, string Value, string Target, string Verdict, string Notes)> _rows = [];

    public int Misses { get; private set; }

    public void Add(string metric, string value, string notes = "") => _rows.Add((metric, value, "—", "info", notes));

    public void Add(string metric, string value, string target, bool pass, string notes = "")
    {
        if (!pass) Misses++;
        _rows.Add((metric, value, target, pass ? "PASS" : "**MISS**", notes));
    }

    public void Print()
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"## {title}").AppendLine();
        text.AppendLine("| Metric | Value | Target | Result | Notes |");
        text.AppendLine("|---|---:|---|---|---|");
        foreach (var row in _rows)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {row.Metric} | {row.Value} | {row.Target} | {row.Verdict} | {row.Notes} |");
        }

        Console.WriteLine(text.ToString());
    }

    public static string N0(double value) => value.ToString("N0", CultureInfo.InvariantCulture);

    public static string F(double value, int decimals) => value.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
}
