namespace SpotOptimizer.Optimization.Market;

/// <summary>
/// Prices of many pools sampled on one hourly grid (<c>Prices[pool][hour]</c>, NaN before a pool's first change):
/// the shape feature extraction, training and replay want.
/// </summary>
public sealed class HourlyPriceGrid
{
    private HourlyPriceGrid(DateTimeOffset start, int hours, SpotPoolId[] pools, double[][] prices)
    {
        Start = start;
        Hours = hours;
        Pools = pools;
        Prices = prices;
    }

    public DateTimeOffset Start { get; }

    public int Hours { get; }

    /// <summary>Pools in ordinal order; an index here is the row of <see cref="Prices"/>.</summary>
    public IReadOnlyList<SpotPoolId> Pools { get; }

    public IReadOnlyList<double[]> Prices { get; }

    public DateTimeOffset TimeOf(int hour) => Start.AddHours(hour);

    public static HourlyPriceGrid Build(SpotPriceBook book, DateTimeOffset start, int hours, Func<SpotPoolId, bool>? include = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(hours);
        var pools = book.Pools.Where(p => include?.Invoke(p) ?? true).Order().ToArray();
        var prices = new double[pools.Length][];
        for (var i = 0; i < pools.Length; i++)
        {
            prices[i] = new double[hours];
            if (hours > 0) book.Series[pools[i]].SampleHourly(start.AddHours(hours - 1), prices[i]);
        }

        return new HourlyPriceGrid(start, hours, pools, prices);
    }

    /// <summary>
    /// The known hourly prices of a pool over the <paramref name="window"/> hours ending at <paramref name="hour"/>
    /// (inclusive), oldest first: the <c>spot_price_history</c> of the model contract.
    /// </summary>
    public ReadOnlySpan<double> History(int pool, int hour, int window)
    {
        var from = Math.Max(0, hour - window + 1);
        var row = Prices[pool];
        while (from <= hour && double.IsNaN(row[from])) from++;
        return row.AsSpan(from, hour - from + 1);
    }
}
