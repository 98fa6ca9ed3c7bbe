using System.Globalization;

namespace SpotOptimizer.Optimization.Market;

/// <summary>Splitting and typed reads for the data feeds' simple CSV/TSV (no quoting is used by any of them).</summary>
internal static class CsvFields
{
    public static string[] Split(string line, char separator) => line.Split(separator);

    public static int Int(string[] fields, int index, int lineNumber, string column) =>
        int.TryParse(fields[index], NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new FormatException($"line {lineNumber}: {column} '{fields[index]}' is not an integer");

    public static int OptionalInt(string[] fields, int index, int lineNumber, string column) =>
        fields[index].Length == 0 ? 0 : Int(fields, index, lineNumber, column);

    public static double Double(string text, int lineNumber, string column) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
            ? value
            : throw new FormatException($"line {lineNumber}: {column} '{text}' is not a number");

    public static void RequireHeader(string? header, string expected, string feed)
    {
        if (header is null) throw new FormatException($"{feed}: empty input");
        if (!string.Equals(header.Trim(), expected, StringComparison.Ordinal))
        {
            throw new FormatException($"{feed}: header '{header.Trim()}' is not '{expected}'");
        }
    }
}
