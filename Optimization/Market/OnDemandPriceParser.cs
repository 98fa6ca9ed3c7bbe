namespace SpotOptimizer.Optimization.Market;

/// <summary>Reads the On-Demand price CSV (<c>instance_type,usd_per_hour</c>; Linux, shared tenancy, one region).</summary>
public static class OnDemandPriceParser
{
    public const string Header = "instance_type,usd_per_hour";

    public static IReadOnlyDictionary<string, double> Parse(TextReader reader)
    {
        CsvFields.RequireHeader(reader.ReadLine(), Header, "on-demand prices");
        var prices = new Dictionary<string, double>(StringComparer.Ordinal);
        var lineNumber = 1;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (line.Length == 0) continue;
            var f = CsvFields.Split(line, ',');
            if (f.Length != 2) throw new FormatException($"line {lineNumber}: {f.Length} fields, expected 2");
            var price = CsvFields.Double(f[1], lineNumber, "usd_per_hour");
            if (price < 0) throw new FormatException($"line {lineNumber}: negative price {price}");
            if (!prices.TryAdd(f[0], price)) throw new FormatException($"line {lineNumber}: duplicate type '{f[0]}'");
        }

        return prices;
    }
}
