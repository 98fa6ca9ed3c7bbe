namespace SpotOptimizer.Optimization.Market;

/// <summary>One pool's price as a step function: each change holds until the next (forward fill).</summary>
public sealed class SpotPriceSeries
{
    private readonly long[] _ticks;
    private readonly double[] _prices;

    public SpotPriceSeries(SpotPoolId pool, IEnumerable<(DateTimeOffset Timestamp, double Price)> changes)
    {
        Pool = pool;
        var ordered = changes.OrderBy(c => c.Timestamp.UtcTicks).ToArray();
        if (ordered.Length == 0) throw new ArgumentException($"{pool}: a series needs at least one price", nameof(changes));
        _ticks = ordered.Select(c => c.Timestamp.UtcTicks).ToArray();
        _prices = ordered.Select(c => c.Price).ToArray();
    }

    public SpotPoolId Pool { get; }

    public int Count => _ticks.Length;

    public DateTimeOffset First => new(_ticks[0], TimeSpan.Zero);

    public DateTimeOffset Last => new(_ticks[^1], TimeSpan.Zero);

    /// <summary>The price in force at <paramref name="at"/>; NaN before the first known change.</summary>
    public double PriceAt(DateTimeOffset at)
    {
        var index = Array.BinarySearch(_ticks, at.UtcTicks);
        if (index < 0) index = ~index - 1;
        return index < 0 ? double.NaN : _prices[index];
    }

    /// <summary>
    /// Hourly samples ending at <paramref name="end"/>: <c>into[^1]</c> is the price at <paramref name="end"/>,
    /// <c>into[^2]</c> one hour earlier, and so on (NaN before the first change).
    /// </summary>
    public void SampleHourly(DateTimeOffset end, Span<double> into)
    {
        for (var i = 0; i < into.Length; i++)
        {
            into[i] = PriceAt(end.AddHours(i - (into.Length - 1)));
        }
    }
}
