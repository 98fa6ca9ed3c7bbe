namespace SpotOptimizer.Optimization.Market;

/// <summary>Every pool's price series of one region and operating system.</summary>
public sealed class SpotPriceBook
{
    private SpotPriceBook(IReadOnlyDictionary<SpotPoolId, SpotPriceSeries> series)
    {
        Series = series;
        if (series.Count > 0)
        {
            Start = series.Values.Min(s => s.First);
            End = series.Values.Max(s => s.Last);
        }
    }

    public IReadOnlyDictionary<SpotPoolId, SpotPriceSeries> Series { get; }

    /// <summary>First price change in the book.</summary>
    public DateTimeOffset Start { get; }

    /// <summary>Last price change in the book.</summary>
    public DateTimeOffset End { get; }

    public IEnumerable<SpotPoolId> Pools => Series.Keys;

    /// <summary>Groups price records into series; records must all be of one operating system.</summary>
    public static SpotPriceBook FromPoints(IEnumerable<SpotPricePoint> points)
    {
        var grouped = new Dictionary<SpotPoolId, List<(DateTimeOffset, double)>>();
        string? os = null;
        foreach (var point in points)
        {
            os ??= point.OperatingSystem;
            if (!string.Equals(os, point.OperatingSystem, StringComparison.Ordinal))
            {
                throw new ArgumentException($"a book holds one operating system: got '{os}' and '{point.OperatingSystem}'", nameof(points));
            }

            if (!grouped.TryGetValue(point.Pool, out var list)) grouped[point.Pool] = list = [];
            list.Add((point.Timestamp, point.PricePerHour));
        }

        return new SpotPriceBook(grouped.ToDictionary(g => g.Key, g => new SpotPriceSeries(g.Key, g.Value)));
    }

    public double PriceAt(SpotPoolId pool, DateTimeOffset at) =>
        Series.TryGetValue(pool, out var series) ? series.PriceAt(at) : double.NaN;
}
