namespace SpotOptimizer.Bench.Spot;

/// <summary>
/// The warnings AWS gives that ours may act on in the `spot` benchmark (<c>--signals</c>): the two-minute interruption
/// notice seen by the hive mind at once, rebalance recommendations, and Spot placement scores. AWS's own strategies
/// act on none of them (EC2 Fleet in "maintain" mode without Capacity Rebalancing).
/// </summary>
[Flags]
internal enum WarningSignals
{
    None = 0,
    Notice = 1,
    Rebalance = 2,
    Placement = 4,
    All = Notice | Rebalance | Placement,
}

internal static class WarningSignalsText
{
    /// <summary>The configurations the signal table compares: all off, each alone, all on.</summary>
    public static IReadOnlyList<WarningSignals> TableRows { get; } =
        [WarningSignals.None, WarningSignals.Notice, WarningSignals.Rebalance, WarningSignals.Placement, WarningSignals.All];

    /// <summary><c>all</c>, <c>none</c>, or a comma-separated list of <c>notice</c>, <c>rebalance</c>, <c>placement</c>.</summary>
    public static WarningSignals Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        if (trimmed.Equals("all", StringComparison.OrdinalIgnoreCase)) return WarningSignals.All;
        if (trimmed.Equals("none", StringComparison.OrdinalIgnoreCase)) return WarningSignals.None;
        var signals = WarningSignals.None;
        foreach (var part in trimmed.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            signals |= part.ToLowerInvariant() switch
            {
                "notice" => WarningSignals.Notice,
                "rebalance" => WarningSignals.Rebalance,
                "placement" => WarningSignals.Placement,
                _ => throw new ArgumentException($"--signals is all, none or a list of notice, rebalance, placement; got '{part}'"),
            };
        }

        return signals == WarningSignals.None
            ? throw new ArgumentException($"--signals is all, none or a list of notice, rebalance, placement; got '{text}'")
            : signals;
    }

    /// <summary>The words <see cref="Parse"/> reads back: <c>none</c>, <c>all</c> or the list.</summary>
    public static string Describe(WarningSignals signals) => signals switch
    {
        WarningSignals.None => "none",
        WarningSignals.All => "all",
        _ => string.Join(",", new[] { (WarningSignals.Notice, "notice"), (WarningSignals.Rebalance, "rebalance"), (WarningSignals.Placement, "placement") }
            .Where(s => signals.HasFlag(s.Item1)).Select(s => s.Item2)),
    };
}
