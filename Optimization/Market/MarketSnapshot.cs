namespace SpotOptimizer.Optimization.Market;

/// <summary>
/// One pool at one moment: its Spot price, the type's On-Demand price and Spot Advisor bucket (null when the feeds
/// do not know the type) and the recent hourly prices, oldest first, ending with <see cref="SpotPrice"/>.
/// <see cref="Stale"/>: the last refresh of the price feed failed for this pool, so the price is the last known one.
/// </summary>
public sealed record PoolQuote(
    SpotPoolId Pool,
    InstanceTypeInfo Type,
    double SpotPrice,
    double? OnDemandPrice,
    int? Bucket,
    IReadOnlyList<double> HourlyHistory)
{
    public bool Stale { get; init; }
}

/// <summary>An On-Demand offer: the last fallback when Spot cannot satisfy a workload.</summary>
public sealed record OnDemandOffer(InstanceTypeInfo Type, double PricePerHour);

/// <summary>The market of one region as known at <see cref="At"/> (when the price feed was last refreshed).</summary>
public sealed record MarketSnapshot(string Region, DateTimeOffset At, IReadOnlyList<PoolQuote> Pools, IReadOnlyList<OnDemandOffer> OnDemand)
{
    /// <summary>The feed's zone names → zone IDs, to translate a tenant's zone names (see <see cref="ZoneTranslation"/>); null when unknown.</summary>
    public IReadOnlyDictionary<string, string>? ZoneIds { get; init; }

    public const int DefaultHistoryHours = 168;

    /// <summary>
    /// Quotes every priced pool of <paramref name="book"/> whose type is in <paramref name="catalog"/>, at
    /// <paramref name="at"/>, with <paramref name="historyHours"/> of hourly history.
    /// </summary>
    public static MarketSnapshot Build(
        string region,
        DateTimeOffset at,
        SpotPriceBook book,
        IReadOnlyDictionary<string, InstanceTypeInfo> catalog,
        IReadOnlyDictionary<string, double> onDemandPrices,
        IReadOnlyDictionary<string, int> buckets,
        int historyHours = DefaultHistoryHours)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(historyHours, 1);
        var quotes = new List<PoolQuote>();
        var window = new double[historyHours];
        foreach (var pool in book.Pools.Order())
        {
            if (!catalog.TryGetValue(pool.InstanceType, out var type)) continue;
            var series = book.Series[pool];
            series.SampleHourly(at, window);
            if (double.IsNaN(window[^1])) continue;
            var known = window.SkipWhile(double.IsNaN).ToArray();
            quotes.Add(new PoolQuote(
                pool,
                type,
                known[^1],
                onDemandPrices.TryGetValue(pool.InstanceType, out var od) ? od : null,
                buckets.TryGetValue(pool.InstanceType, out var bucket) ? bucket : null,
                known));
        }

        var offers = catalog.Values
            .Where(t => onDemandPrices.ContainsKey(t.Name))
            .OrderBy(t => t.Name, StringComparer.Ordinal)
            .Select(t => new OnDemandOffer(t, onDemandPrices[t.Name]))
            .ToList();
        return new MarketSnapshot(region, at, quotes, offers);
    }
}
