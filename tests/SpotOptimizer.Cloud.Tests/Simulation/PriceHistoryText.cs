namespace SpotOptimizer.Cloud.Tests.Simulation;

/// <summary>Price-history TSV written with '|' for the tab, so a test's sample is readable.</summary>
public static class PriceHistoryText
{
    public static string Of(params string[] rows) => string.Concat(rows.Select(r => r.Replace('|', '\t') + "\n"));
}
