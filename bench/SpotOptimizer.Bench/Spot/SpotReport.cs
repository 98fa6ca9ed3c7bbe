using System.Globalization;
using System.Text;
using SpotOptimizer.Optimization.RiskTtl;
using SpotOptimizer.Optimization.Training;
using static SpotOptimizer.Bench.ResultTable;

namespace SpotOptimizer.Bench.Spot;

/// <summary>The Markdown the `spot` benchmark prints.</summary>
internal static class SpotReport
{
    private const string Ours = OursStrategy.BalancedName;
    private const string Stability = OursStrategy.StabilityName;
    private const string Oracle = "oracle (perfect foresight)";
    private const string OnDemand = "All On-Demand";
    private const string LowestPrice = "lowest-price (2 pools)";
    private const string Pco = "price-capacity-optimized (4 pools)";

    /// <summary>Prints every table; returns the number of missed targets.</summary>
    public static int Print(IReadOnlyList<RunResult> results, double bestBucketBound, TrainingOutcome training, IReadOnlyList<RiskPersistenceReport> ttl, TimingResult selection, TimingResult decision,
        WarningSignals signals)
    {
        var byStrategy = results.GroupBy(r => r.Strategy).ToDictionary(g => g.Key, g => g.OrderBy(r => r.Seed).ToList());
        var oracle = byStrategy[Oracle].Average(r => r.Total);
        var allOnDemand = byStrategy[OnDemand].Average(r => r.Total);
        string[] order = [OnDemand, LowestPrice, "capacity-optimized (4 pools)", Pco, Ours, Stability, Oracle];

        var text = new StringBuilder();
        text.AppendLine("## Spot allocation: strategies side by side (means over seeds)").AppendLine();
        text.AppendLine("| Strategy | Cost (USD) | Cost / oracle | Savings vs On-Demand | Interruptions (nodes; seed range) | Exposure (expected interruptions) | Interrupted pods | Workload share lost per reclaim (mean / max) | Node replacements |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var name in order)
        {
            var runs = byStrategy[name];
            var cost = runs.Average(r => r.Total);
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {name} | {cost:N2} | {cost / oracle:F3} | {(1 - cost / allOnDemand) * 100:F1} % | {runs.Average(r => r.Interruptions):F1} ({runs.Min(r => r.Interruptions)}–{runs.Max(r => r.Interruptions)}) | {Exposure(runs)} | {runs.Average(r => r.InterruptedUnits):F1} | {BlastRadius(runs)} | {runs.Average(r => r.Replacements):F1} |");
        }

        text.AppendLine().AppendLine("Cost breakdown (USD, means): compute / lost work / boot+move overhead; proactive moves; node-hours").AppendLine();
        foreach (var name in order)
        {
            var runs = byStrategy[name];
            text.AppendLine(CultureInfo.InvariantCulture,
                $"- {name}: {runs.Average(r => r.Compute):N2} / {runs.Average(r => r.LostWork):N2} / {runs.Average(r => r.Overhead):N2}; {runs.Average(r => r.ProactiveMoves):F1} moved; {runs.Average(r => r.NodeHours):N0} node-h");
        }

        var extra = byStrategy.Keys.Where(k => k.StartsWith(Ours + ", risk", StringComparison.Ordinal)).OrderBy(k => k, StringComparer.Ordinal).ToList();
        if (extra.Count > 0)
        {
            text.AppendLine().AppendLine("The default at other risk weights (for the Pareto chart): cost; interruptions; exposure; interrupted pods").AppendLine();
            foreach (var name in extra)
            {
                var runs = byStrategy[name];
                text.AppendLine(CultureInfo.InvariantCulture, $"- {name}: {runs.Average(r => r.Total):N2}; {runs.Average(r => r.Interruptions):F2}; {Exposure(runs)}; {runs.Average(r => r.InterruptedUnits):F1}");
            }
        }

        Console.WriteLine(text.ToString());
        PrintSignals(byStrategy, signals);
        var misses = Targets(byStrategy, oracle, bestBucketBound, selection, decision);
        PrintModel(training);
        PrintTtl(ttl);
        return misses;
    }

    private static int Targets(Dictionary<string, List<RunResult>> byStrategy, double oracle, double bestBucketBound, TimingResult selection, TimingResult decision)
    {
        StrategySummary Summary(string name)
        {
            var runs = byStrategy[name];
            return new StrategySummary(name, runs.Average(r => r.Total), runs.Average(r => r.Interruptions), runs.Average(r => r.InterruptedUnits), runs.Average(r => r.Exposure));
        }

        var table = new ResultTable("Targets");
        var pairedNotes = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Default vs price-capacity-optimized: cost"] = Paired(byStrategy, Ours, Pco, r => r.Total),
            ["Default vs price-capacity-optimized: interrupted nodes"] = Paired(byStrategy, Ours, Pco, r => r.Interruptions),
            ["Default vs price-capacity-optimized: interrupted pods"] = Paired(byStrategy, Ours, Pco, r => r.InterruptedUnits),
            ["Default vs lowest-price: cost"] = Paired(byStrategy, Ours, LowestPrice, r => r.Total),
            ["Stability vs price-capacity-optimized: cost"] = Paired(byStrategy, Stability, Pco, r => r.Total),
            ["Stability vs price-capacity-optimized: interruptions"] = Paired(byStrategy, Stability, Pco, r => r.Interruptions),
        };
        foreach (var row in SpotTargets.Judge(Summary(Ours), Summary(Stability), Summary(Pco), Summary(LowestPrice), oracle))
        {
            var notes = string.Join("; ", new[] { row.Notes, pairedNotes.GetValueOrDefault(row.Metric, "") }.Where(n => n.Length > 0));
            if (row.Pass is { } pass) table.Add(row.Metric, row.Value, row.Target, pass, notes);
            else table.Add(row.Metric, row.Value, notes);
        }

        table.Add("Blast radius: largest share of one workload lost to one reclaim, mean / max (default; PCO; stability)",
            $"{BlastRadius(byStrategy[Ours])}; {BlastRadius(byStrategy[Pco])}; {BlastRadius(byStrategy[Stability])}",
            $"mean over the reclaims that interrupted a node, and the worst; workloads of {ReplicaNote} % of the pods spread over the nodes");
        table.Add("Bound: any fleet on bucket-0 pools only", $"≥ {F(bestBucketBound, 2)} vs lowest-price {F(Summary(LowestPrice).Cost, 2)}",
            "every hour the whole workload at the cheapest bucket-0 price per pod (divisible nodes; no moves, boots or interruptions): " +
            "the cost of holding price-capacity-optimized's interruption exposure, before any real-world overhead");
        table.Add($"Selection over all {selection.Pools} pools of the region (risk assessed)", $"p50 {F(selection.P50Micros, 0)} µs, p99 {F(selection.P99Micros, 0)} µs",
            $"p99 < {N0(SpotBenchmark.SelectionTarget)} µs", selection.P99Micros < SpotBenchmark.SelectionTarget, $"{N0(selection.Iterations)} timed calls, max {F(selection.MaxMicros, 0)} µs; {selection.Notes}");
        table.Add($"Full decision over all {decision.Pools} pools (model risk of each + selection)", $"p50 {F(decision.P50Micros, 0)} µs, p99 {F(decision.P99Micros, 0)} µs",
            $"{N0(decision.Iterations)} timed calls; {decision.Notes}");
        table.Print();
        return table.Misses;
    }

    private const string ReplicaNote = "40/30/20/10";

    /// <summary>The name of the default's run at another risk weight (percent).</summary>
    public static string RiskWeightName(int riskWeightPercent) => $"{Ours}, risk {riskWeightPercent} %";

    /// <summary>The name of the default's run with other warning signals than the run's own.</summary>
    public static string SignalsName(WarningSignals signals) => $"{Ours}, signals: {WarningSignalsText.Describe(signals)}";

    /// <summary>
    /// Each warning's effect on the default, when the run has <c>--signal-table</c>: the same strategy with the signals
    /// all off, each alone and all on, against the same reclaims (means per seed; per seed against all off).
    /// </summary>
    private static void PrintSignals(Dictionary<string, List<RunResult>> byStrategy, WarningSignals signals)
    {
        List<RunResult>? Runs(WarningSignals s) => s == signals ? byStrategy[Ours] : byStrategy.GetValueOrDefault(SignalsName(s));
        if (WarningSignalsText.TableRows.Any(s => Runs(s) is null)) return;
        var off = Runs(WarningSignals.None)!;
        var pco = byStrategy[Pco];
        var text = new StringBuilder();
        text.AppendLine("## AWS's warnings: the default with each signal off and on (means per seed)").AppendLine();
        text.AppendLine("| Signals ours acts on | Cost (USD) | vs PCO | Interrupted nodes (exposure) | Interrupted pods | Proactive moves | Node replacements | Per seed vs all off: pods lower / equal / higher |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var row in WarningSignalsText.TableRows)
        {
            var runs = Runs(row)!;
            var cost = runs.Average(r => r.Total);
            var pairs = runs.Zip(off, (a, b) => Math.Sign(a.InterruptedUnits - b.InterruptedUnits)).ToList();
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {WarningSignalsText.Describe(row)}{(row == signals ? " (this run's default)" : "")} | {cost:N2} | {(cost / pco.Average(r => r.Total) - 1) * 100:+0.0;-0.0;0.0} % | {runs.Average(r => r.Interruptions):F2} ({Exposure(runs)}) | {runs.Average(r => r.InterruptedUnits):F1} | {runs.Average(r => r.ProactiveMoves):F1} | {runs.Average(r => r.Replacements):F1} | {pairs.Count(p => p < 0)} / {pairs.Count(p => p == 0)} / {pairs.Count(p => p > 0)} |");
        }

        if (byStrategy.GetValueOrDefault(PriceCapacityOptimizedRebalancingStrategy.StrategyName) is { } rebalancing)
        {
            var cost = rebalancing.Average(r => r.Total);
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| price-capacity-optimized + Capacity Rebalancing (acts on every rebalance recommendation; for comparison) | {cost:N2} | {(cost / pco.Average(r => r.Total) - 1) * 100:+0.0;-0.0;0.0} % | {rebalancing.Average(r => r.Interruptions):F2} ({Exposure(rebalancing)}) | {rebalancing.Average(r => r.InterruptedUnits):F1} | {rebalancing.Average(r => r.ProactiveMoves):F1} | {rebalancing.Average(r => r.Replacements):F1} | |");
        }

        text.AppendLine(CultureInfo.InvariantCulture,
            $"| price-capacity-optimized (acts on none) | {pco.Average(r => r.Total):N2} | 0.0 % | {pco.Average(r => r.Interruptions):F2} ({Exposure(pco)}) | {pco.Average(r => r.InterruptedUnits):F1} | {pco.Average(r => r.ProactiveMoves):F1} | {pco.Average(r => r.Replacements):F1} | |");
        Console.WriteLine(text.ToString());
    }

    /// <summary>The Pareto chart: each AWS strategy, ours (the default at every risk weight run, and stability), the oracle.</summary>
    public static string Chart(IReadOnlyList<RunResult> results, int defaultRiskWeight, string title)
    {
        var points = new List<ChartPoint>();
        foreach (var group in results.GroupBy(r => r.Strategy))
        {
            var name = group.Key;
            if (name == OnDemand) continue; // 2.5× the others' cost: it would squeeze every other point into a corner
            if (name.StartsWith(Ours + ", signals", StringComparison.Ordinal)) continue; // the signal table's runs, not the trade-off
            var series = name == Ours || name.StartsWith(Ours + ", risk", StringComparison.Ordinal) ? "ours, default (by risk weight)"
                : name == Stability ? "ours, stability" : name == Oracle ? "oracle" : "AWS: " + name;
            var label = name == Ours ? RiskWeightName(defaultRiskWeight) + " (default)" : name;
            points.Add(new ChartPoint(label, series, group.Average(r => r.Total), group.Average(r => r.InterruptedUnits)));
        }

        return ParetoChart.Svg(points.OrderBy(p => p.Series, StringComparer.Ordinal).ThenBy(p => p.Cost).ToList(), title);
    }

    private static string BlastRadius(List<RunResult> runs)
    {
        var reclaims = runs.Sum(r => r.Reclaims);
        return reclaims == 0 ? "—" : $"{runs.Sum(r => r.WorkloadLossSum) / reclaims * 100:F0} % / {runs.Max(r => r.WorkloadLossMax) * 100:F0} %";
    }

    private static string Exposure(List<RunResult> runs) => double.IsNaN(runs[0].Exposure) ? "—" : F(runs.Average(r => r.Exposure), 2);

    /// <summary>Per seed (same interruption events for both): in how many seeds ours is below, equal to, above the other.</summary>
    private static string Paired(Dictionary<string, List<RunResult>> byStrategy, string ours, string other, Func<RunResult, double> value)
    {
        var pairs = byStrategy[ours].Zip(byStrategy[other], (a, b) => Math.Sign(Math.Round(value(a) - value(b), 6))).ToList();
        return $"per seed: ours lower in {pairs.Count(p => p < 0)}, equal in {pairs.Count(p => p == 0)}, higher in {pairs.Count(p => p > 0)}";
    }

    private static void PrintModel(TrainingOutcome training)
    {
        var a = training.Artifact;
        var e = a.Evaluation!;
        var text = new StringBuilder();
        text.AppendLine("## Interruption model (MOD-AI-01) on held-out data").AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Label: {a.Label.Description}.").AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"Train: {a.Training.From:yyyy-MM-dd HH:mm} … {a.Training.To:yyyy-MM-dd HH:mm}, {a.Training.Examples:N0} examples ({a.Training.Positives:N0} positive, {a.Training.Pools} pools, every {a.Training.SampleEveryHours} h), L2 {a.Training.L2}, {a.Training.Iterations} Newton steps. " +
            $"Test: {e.From:yyyy-MM-dd HH:mm} … {e.To:yyyy-MM-dd HH:mm}, {e.Examples:N0} examples ({e.Positives:N0} positive).").AppendLine();
        text.AppendLine("| Predictor | Log loss | AUC |");
        text.AppendLine("|---|---:|---:|");
        text.AppendLine(CultureInfo.InvariantCulture, $"| logistic regression ({a.FeatureSet}, {a.Features.Count} features) | {e.LogLoss:F4} | {e.Auc:F3} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| static bucket heuristic (per-bucket training rates; AUC of the bucket order) | {e.HeuristicLogLoss:F4} | {e.HeuristicAuc:F3} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| constant training prior ({a.Output.EventPrior:P2}) | {e.PriorLogLoss:F4} | 0.500 |");
        text.AppendLine().AppendLine("Weights (standardised features): " + string.Join(", ", a.Features.Select(f => $"{f.Name} {f.Weight:+0.000;-0.000}")));
        Console.WriteLine(text.ToString());
    }

    private static void PrintTtl(IReadOnlyList<RiskPersistenceReport> reports)
    {
        var text = new StringBuilder();
        var first = reports[0];
        text.AppendLine("## Risk TTL: preemption risk after a preemption in the same pool (AWS single-node traces)").AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"{first.Traces} traces, {first.TracedHours:N0} h. Cell: P(a running instance is preempted within {first.WindowMinutes} min | Δ after a preemption) / the same at a random running moment (lift).").AppendLine();
        var polarities = reports.GroupBy(r => r.Polarity).Select(g => g.First()).ToList();
        text.AppendLine("| Δ after preemption | " + string.Join(" | ", polarities.Select(r => $"{r.Polarity} ({r.Preemptions} preemptions, baseline {r.BaselineProbability:P1})")) + " |");
        text.AppendLine("|---:|" + string.Concat(polarities.Select(_ => "---:|")));
        for (var i = 0; i < first.Rows.Count; i++)
        {
            var cells = string.Join(" | ", polarities.Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.Rows[i].ConditionalProbability:P1} (×{r.Rows[i].Lift:F2}, n={r.Rows[i].Samples})")));
            text.AppendLine(CultureInfo.InvariantCulture, $"| {first.Rows[i].OffsetMinutes} min | {cells} |");
        }

        text.AppendLine().AppendLine("Supported TTL (first Δ from which the lift stays below the threshold; leave-one-trace-out range):").AppendLine();
        foreach (var r in reports)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"- {r.Polarity}, lift < {r.ElevatedLift:F2}: {Minutes(r.SupportedTtlMinutes)} (range {Minutes(r.LeaveOneTraceOutMinTtl)} … {Minutes(r.LeaveOneTraceOutMaxTtl)}); seed TTL 30 min");
        }

        Console.WriteLine(text.ToString());
    }

    private static string Minutes(int? minutes) => minutes is { } m ? $"{m} min" : "beyond 720 min";
}
