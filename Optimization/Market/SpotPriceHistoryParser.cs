using System.Globalization;

namespace SpotOptimizer.Optimization.Market;

/// <summary>One <c>DescribeSpotPriceHistory</c> record: the price applies from <see cref="Timestamp"/> until the next record of its series.</summary>
public sealed record SpotPricePoint(string AvailabilityZone, string InstanceType, string OperatingSystem, double PricePerHour, DateTimeOffset Timestamp)
{
    public SpotPoolId Pool => new(AvailabilityZone, InstanceType);
}

/// <summary>
/// Reads spot price history TSV: columns <c>az, instance_type, os, usd_per_hour, timestamp</c>, with the header line
/// of the normalised files or without it (the raw monthly dumps, whose first column is an AZ ID such as <c>use1-az4</c>).
/// </summary>
public static class SpotPriceHistoryParser
{
    public const string Header = "az\tinstance_type\tos\tusd_per_hour\ttimestamp";
    public const string LinuxUnix = "Linux/UNIX";

    /// <summary>All rows of one operating system (<see cref="LinuxUnix"/> by default; null keeps every OS).</summary>
    public static IReadOnlyList<SpotPricePoint> Parse(TextReader reader, string? operatingSystem = LinuxUnix) =>
        Read(reader, operatingSystem).ToList();

    /// <summary>Streams the rows, so a caller can fold a large file without holding it.</summary>
    public static IEnumerable<SpotPricePoint> Read(TextReader reader, string? operatingSystem = LinuxUnix)
    {
        // The files repeat a few hundred distinct zone/type/os strings across ~10^6 rows: share one instance of each.
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        var lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (line.Length == 0) continue;
            if (lineNumber == 1 && line.StartsWith("az\t", StringComparison.Ordinal))
            {
                CsvFields.RequireHeader(line, Header, "spot price history");
                continue;
            }

            var f = line.Split('\t');
            if (f.Length != 5) throw new FormatException($"line {lineNumber}: {f.Length} fields, expected 5");
            if (operatingSystem is not null && !string.Equals(f[2], operatingSystem, StringComparison.Ordinal)) continue;
            var price = CsvFields.Double(f[3], lineNumber, "usd_per_hour");
            if (price < 0) throw new FormatException($"line {lineNumber}: negative price {price}");
            if (!DateTimeOffset.TryParse(f[4], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var timestamp))
            {
                throw new FormatException($"line {lineNumber}: timestamp '{f[4]}' is not ISO-8601");
            }

            yield return new SpotPricePoint(Intern(names, f[0]), Intern(names, f[1]), Intern(names, f[2]), price, timestamp.ToUniversalTime());
        }
    }

    private static string Intern(Dictionary<string, string> names, string value)
    {
        if (names.TryGetValue(value, out var shared)) return shared;
        names[value] = value;
        return value;
    }
}
