namespace SpotOptimizer.Optimization.Risk;

/// <summary>
/// Feature set <c>pool-price-v1</c>: what the interruption model sees of one pool at one hour. Every value is
/// computed from the contract input (hourly history, hour, day) plus the type's On-Demand price and Spot Advisor
/// bucket, so training, the benchmark and production compute it the same way.
/// </summary>
public static class RiskFeatures
{
    public const string FeatureSet = "pool-price-v1";

    public static IReadOnlyList<string> Names { get; } =
    [
        "advisor_bucket",           // Spot Advisor bucket / 4 (the worst, 1, when unknown)
        "advisor_bucket_unknown",   // 1 when the advisor does not list the type
        "log_price_to_on_demand",   // ln(spot / On-Demand): how little discount is left
        "on_demand_unknown",        // 1 when no On-Demand price is known (the previous feature is then 0)
        "log_price_to_window_mean", // ln(price / mean of the window)
        "log_price_to_min_24h",     // ln(price / min of the last 24 h): a recent jump
        "log_change_24h",           // ln(price / price 24 h ago)
        "log_change_window",        // ln(price / first price of the window): the trend
        "volatility_daily",         // std of hourly log changes × √24
        "change_rate",              // share of hours whose price differs from the previous hour
        "hour_sin",
        "hour_cos",
        "weekend",                  // Saturday or Sunday (day_of_week 5, 6)
    ];

    public static int Count => Names.Count;

    /// <summary>How many hours of history the window wants; fewer still work (the confidence says so).</summary>
    public const int WindowHours = 168;

    public static void Compute(ReadOnlySpan<double> history, double? onDemandPrice, int? bucket, int hourOfDay, int dayOfWeek, Span<double> into)
    {
        if (into.Length != Count) throw new ArgumentException($"need {Count} slots, got {into.Length}", nameof(into));
        if (history.Length > WindowHours) history = history[^WindowHours..];
        var last = Positive(history[^1]);
        into[0] = bucket is { } b ? Math.Clamp(b, 0, 4) / 4.0 : 1.0;
        into[1] = bucket is null ? 1 : 0;
        into[2] = onDemandPrice is > 0 ? Math.Log(last / onDemandPrice.Value) : 0;
        into[3] = onDemandPrice is > 0 ? 0 : 1;

        double sum = 0, min24 = double.MaxValue, sumSq = 0, sumReturns = 0;
        var changes = 0;
        for (var i = 0; i < history.Length; i++)
        {
            var price = Positive(history[i]);
            sum += price;
            if (i >= history.Length - 24) min24 = Math.Min(min24, price);
            if (i == 0) continue;
            var previous = Positive(history[i - 1]);
            var r = Math.Log(price / previous);
            sumReturns += r;
            sumSq += r * r;
            if (price != previous) changes++;
        }

        into[4] = Math.Log(last / (sum / history.Length));
        into[5] = Math.Log(last / min24);
        into[6] = Math.Log(last / Positive(history[Math.Max(0, history.Length - 25)]));
        into[7] = Math.Log(last / Positive(history[0]));
        var n = history.Length - 1;
        into[8] = n > 1 ? Math.Sqrt(Math.Max(0, (sumSq - sumReturns * sumReturns / n) / (n - 1)) * 24) : 0;
        into[9] = n > 0 ? (double)changes / n : 0;
        into[10] = Math.Sin(2 * Math.PI * hourOfDay / 24);
        into[11] = Math.Cos(2 * Math.PI * hourOfDay / 24);
        into[12] = dayOfWeek >= 5 ? 1 : 0;
    }

    /// <summary>Share of the wanted window the history covers: part of the confidence of a prediction.</summary>
    public static double Coverage(int historyHours) => Math.Min(1.0, historyHours / (double)WindowHours);

    // A zero price (never seen in the feeds, allowed by the contract) would make the logarithms infinite.
    private static double Positive(double price) => Math.Max(price, 1e-6);
}
