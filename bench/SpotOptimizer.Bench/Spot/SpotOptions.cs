using SpotOptimizer.Optimization.Risk;
using SpotOptimizer.Optimization.Selection;

namespace SpotOptimizer.Bench.Spot;

/// <summary>
/// Options of <c>spot</c>. Integers come through <see cref="BenchArgs"/>; the harness has no string accessor yet, so
/// the few text options are read from the command line here (and declared to <see cref="BenchArgs"/> so that it
/// does not call them unknown).
/// </summary>
internal sealed record SpotOptions(
    string? DataDirectory,
    string Prices,
    string Region,
    string Advisor,
    string Window,
    IReadOnlyList<string> Families,
    int Vcpu,
    int FirstSeed,
    int Seeds,
    int RiskTtlMinutes,
    int MaxPoolSharePercent,
    int RiskWeightPercent,
    int MinMoveSavingPercent,
    int TimingIterations,
    int WaitIdleSeconds,
    string? WriteModel,
    string Model,
    string? Chart,
    WarningSignals Signals,
    bool SignalTable,
    int PlacementTrustedFrom,
    int PlacementLiftTenths,
    int CapacityTierWidth)
{
    /// <summary>The placement-score rule ours runs with (<c>--placement-trusted</c>, <c>--placement-lift</c> in tenths).</summary>
    public PlacementScorePolicy PlacementPolicy => new(PlacementTrustedFrom, PlacementLiftTenths / 10.0);

    /// <summary>The interruption model ours runs on: the product's default unless <c>--model</c> says otherwise.</summary>
    public const string DefaultModel = "logistic";

    public static IReadOnlyList<string> Models { get; } = ["logistic", "fasttree", "lightgbm"];

    /// <summary>The risk weights (%) of ours' extra runs for the Pareto chart, besides <see cref="RiskWeightPercent"/>.</summary>
    public static IReadOnlyList<int> ChartRiskWeights { get; } = [0, 20, 60, 80];

    public const string DefaultPrices = "spot-price-history/us-east-1_2021-03-02_2021-05-31.tsv.zst";

    // The 2021 advisor snapshot (~2021-02) precedes the 2021 price history: what a strategy could have known then.
    public const string DefaultAdvisor = "spot-advisor/2021/spot-advisor-data.json";

    public static IReadOnlyList<string> DefaultFamilies { get; } = ["m5", "m5a", "m5d", "m5n", "m4", "c5", "c5a", "c5d", "r5", "r5a", "r5d"];

    private static readonly string[] TextOptions = ["data", "prices", "region", "advisor", "window", "families", "write-model", "model", "chart", "signals"];

    public static SpotOptions Read(BenchArgs args)
    {
        var text = TextValues(Environment.GetCommandLineArgs());
        foreach (var name in TextOptions) args.Flag(name);
        var window = text.GetValueOrDefault("window", "eval");
        if (window is not ("eval" or "tune")) throw new ArgumentException($"--window is eval or tune, got '{window}'");
        var tune = window == "tune";
        var model = text.GetValueOrDefault("model", DefaultModel);
        if (!Models.Contains(model)) throw new ArgumentException($"--model is {string.Join(", ", Models)}, got '{model}'");
        return new SpotOptions(
            text.GetValueOrDefault("data"),
            text.GetValueOrDefault("prices", DefaultPrices),
            text.GetValueOrDefault("region", "us-east-1"),
            text.GetValueOrDefault("advisor", DefaultAdvisor),
            window,
            text.TryGetValue("families", out var families) ? families.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : DefaultFamilies,
            args.Int("vcpu", 200, 2, 100_000),
            // Tuning and evaluation never share seeds (nor time windows, see SpotBenchmark).
            args.Int("seed", tune ? 101 : 1, 0, int.MaxValue - 1000),
            args.Int("seeds", 20, 1, 1000),
            args.Int("risk-ttl", 240, 0, 7 * 24 * 60),
            args.Int("max-pool-share", 50, 1, 100),
            // The product's default 0.6/0.4; other values trace the price/interruption frontier (not tuned on eval).
            args.Int("risk-weight", 40, 0, 100),
            // The rebalance planner's minimum saving of a price-driven move, in % of the moved nodes' cost (the product's 3).
            args.Int("min-move-saving", 3, 0, 100),
            args.Int("timing-iterations", 3000, 10, 1_000_000),
            args.Int("wait-idle", 0, 0, 3600),
            text.GetValueOrDefault("write-model"),
            model,
            text.GetValueOrDefault("chart"),
            // The warnings AWS gives that ours acts on (AWS's strategies act on none): all of them unless told otherwise.
            WarningSignalsText.Parse(text.GetValueOrDefault("signals", "all")),
            // Ours again with the signals all off, each alone and all on: each signal's effect, measured.
            args.Flag("signal-table"),
            args.Int("placement-trusted", PlacementScorePolicy.Default.TrustedFrom, 1, 10),
            args.Int("placement-lift", (int)Math.Round(PlacementScorePolicy.Default.LowestScoreLift * 10), 10, 1000),
            // How many Spot Advisor buckets the default ranks as one group (SelectionPolicy.CapacityTierWidth).
            args.Int("tier-width", SelectionPolicy.Default.CapacityTierWidth, 1, 5));
    }

    private static Dictionary<string, string> TextValues(string[] commandLine)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < commandLine.Length; i++)
        {
            if (!commandLine[i].StartsWith("--", StringComparison.Ordinal)) continue;
            var name = commandLine[i][2..];
            string? value = null;
            var eq = name.IndexOf('=', StringComparison.Ordinal);
            if (eq >= 0)
            {
                value = name[(eq + 1)..];
                name = name[..eq];
            }
            else if (i + 1 < commandLine.Length && !commandLine[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                value = commandLine[i + 1];
            }

            if (value is not null && Array.IndexOf(TextOptions, name) >= 0) values[name] = value;
        }

        return values;
    }
}
