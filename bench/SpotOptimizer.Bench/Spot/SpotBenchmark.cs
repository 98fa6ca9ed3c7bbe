using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using SpotOptimizer.Optimization.Decision;
using SpotOptimizer.Optimization.Market;
using SpotOptimizer.Optimization.Risk;
using SpotOptimizer.Optimization.RiskTtl;
using SpotOptimizer.Optimization.Selection;
using SpotOptimizer.Optimization.Training;

namespace SpotOptimizer.Bench.Spot;

/// <summary>
/// `spot`: replays a Spot price history for a fleet of fixed capacity, re-decided hourly, under a documented
/// interruption process, and compares our allocation with AWS's strategies, all On-Demand and a perfect-foresight
/// oracle; trains and scores the interruption model; measures the risk TTL on the preemption traces; times one
/// selection over every pool of the region.
/// Honesty of the split: the model trains on the first half of the history (labels end before the split); the
/// evaluation window is the second half with seeds 1…; the tuning window is the 15 days before the split with seeds 101….
/// </summary>
internal static class SpotBenchmark
{
    private const double OracleTarget = 1.10;
    private const double SelectionTargetMicros = 1000;
    private const int TuningDays = 15;
    private static readonly double[] TtlLifts = [1.5, 1.25];
    private static readonly TracePolarity[] Polarities = [TracePolarity.OneMeansRunning, TracePolarity.ZeroMeansRunning];

    public static Task<int> RunAsync(BenchArgs args)
    {
        var options = SpotOptions.Read(args);
        if (!BenchEnvironment.Start("spot", args)) return Task.FromResult(3);
        var clock = Stopwatch.StartNew();
        var pack = SpotDataPack.Locate(options.DataDirectory);

        Progress($"loading {options.Prices} and the catalog, On-Demand prices and {options.Advisor} from {pack.Directory}");
        var book = pack.PriceBook(options.Prices);
        var catalog = pack.Catalog();
        var onDemand = pack.OnDemandPrices();
        var buckets = pack.Advisor(options.Advisor).BucketsFor(options.Region);
        var reference = new RiskReferenceData(onDemand, buckets);
        var market = BenchMarket.Build(book, catalog, onDemand, buckets, options.Families, options.Vcpu);
        var split = market.Hours / 2;
        var (from, to) = options.Window == "eval" ? (split, market.Hours) : (split - TuningDays * 24, split);

        Progress($"training the interruption model on {market.Grid.TimeOf(0):yyyy-MM-dd} … {market.Grid.TimeOf(split):yyyy-MM-dd} (all {book.Series.Count} pools of the file)");
        var regionGrid = HourlyPriceGrid.Build(book, market.Grid.Start, market.Hours, p => catalog.ContainsKey(p.InstanceType));
        var training = InterruptionModelTraining.Train(regionGrid, reference, market.Grid.TimeOf(split),
            new ModelTrainingOptions("1.0.0", $"{Path.GetFileName(options.Prices)}, advisor {options.Advisor}, region {options.Region}", LabelDefinition.PriceRise()));
        var json = training.Artifact.ToJson();
        var (risk, loadErrors) = options.Model == SpotOptions.DefaultModel
            ? LogisticRisk(json, reference, options.WriteModel)
            : SpotModelChoice.TreeRisk(options, regionGrid, reference, market.Grid.TimeOf(split), Progress);

        var seeds = Enumerable.Range(options.FirstSeed, options.Seeds).ToList();
        Progress($"replaying hours {market.Grid.TimeOf(from):yyyy-MM-dd HH:mm} … {market.Grid.TimeOf(to):yyyy-MM-dd HH:mm} ({options.Window} window) for seeds {seeds[0]}…{seeds[^1]}: {market.Pools.Length} pools");
        var results = new ConcurrentBag<RunResult>();
        var fallbacks = 0;
        var rebalanceCount = 0;
        var warnedReclaims = 0;
        Parallel.ForEach(seeds, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, seed =>
        {
            var process = InterruptionProcess.Generate(market, seed, from, to);
            var warnings = process.Warnings(WarningModel.Default);
            var selection = SelectionPolicy.Default with
            {
                MaxPoolShare = options.MaxPoolSharePercent / 100.0,
                PriceWeight = (100 - options.RiskWeightPercent) / 100.0,
                RiskWeight = options.RiskWeightPercent / 100.0,
                CapacityTierWidth = options.CapacityTierWidth,
            };
            var rebalance = RebalancePolicy.Default with { MinUnitSavings = options.MinMoveSavingPercent / 100.0 };
            OursStrategy Ours(SelectionPolicy policy, RebalancePolicy planner, WarningSignals signals, string? name = null) =>
                new(market, risk, policy, planner, name, signals.HasFlag(WarningSignals.Placement) ? warnings : null, options.PlacementPolicy);
            var ours = Ours(selection, rebalance, options.Signals);
            var stability = Ours(SelectionPolicy.Stability with { PriceWeight = selection.PriceWeight, RiskWeight = selection.RiskWeight },
                RebalancePolicy.Stability with { MinUnitSavings = rebalance.MinUnitSavings }, options.Signals);
            // AWS's strategies act on no warning (EC2 Fleet "maintain" without Capacity Rebalancing).
            List<(IFleetStrategy Strategy, WarningSignals Signals)> strategies =
            [
                (new OnDemandStrategy(), WarningSignals.None), (new LowestPriceStrategy(), WarningSignals.None), (new CapacityOptimizedStrategy(seed), WarningSignals.None),
                (new PriceCapacityOptimizedStrategy(), WarningSignals.None), (ours, options.Signals), (stability, options.Signals),
            ];
            if (options.Chart is not null)
            {
                // The trade-off the chart traces: the default at other risk weights (the price weight is the rest).
                strategies.AddRange(SpotOptions.ChartRiskWeights.Where(w => w != options.RiskWeightPercent).Select(w => ((IFleetStrategy)Ours(
                    selection with { PriceWeight = (100 - w) / 100.0, RiskWeight = w / 100.0 }, rebalance, options.Signals, SpotReport.RiskWeightName(w)), options.Signals)));
            }

            if (options.SignalTable)
            {
                // For fairness: PCO as EC2 Fleet runs it with Capacity Rebalancing, acting on every rebalance recommendation.
                strategies.Add((new PriceCapacityOptimizedRebalancingStrategy(), WarningSignals.Rebalance));
                // Each warning's effect: the default again with the signals all off, each alone and all on.
                strategies.AddRange(WarningSignalsText.TableRows.Where(s => s != options.Signals)
                    .Select(s => ((IFleetStrategy)Ours(selection, rebalance, s, SpotReport.SignalsName(s)), s)));
            }

            foreach (var (strategy, signals) in strategies)
            {
                results.Add(FleetSimulator.Run(market, strategy, process, from, to, options.RiskTtlMinutes, CostModel.Default, signals, warnings));
            }

            results.Add(PerfectForesightOracle.Run(market, process, from, to, CostModel.Default));
            Interlocked.Add(ref fallbacks, ours.FallbackDecisions + stability.FallbackDecisions);
            Interlocked.Add(ref rebalanceCount, warnings.Rebalances.Count(r => r.Time >= from));
            Interlocked.Add(ref warnedReclaims, warnings.Rebalances.Count(r => r.Reclaim is not null && r.Time >= from));
        });
        var replay = clock.Elapsed;

        Progress("risk persistence on the preemption traces");
        var traces = pack.AwsPreemptionTraces();
        var ttl = Polarities
            .SelectMany(polarity => TtlLifts.Select(lift => RiskPersistenceStudy.Measure(traces, new RiskPersistenceOptions(polarity, ElevatedLift: lift))))
            .ToList();

        Progress($"timing one selection over every pool of {options.Region}");
        BenchEnvironment.WaitForQuietMachine(TimeSpan.FromSeconds(options.WaitIdleSeconds));
        var regionSnapshot = MarketSnapshot.Build(options.Region, market.Grid.TimeOf(from + 24), book, catalog, onDemand, buckets);
        var (selection, decision) = SelectionTiming.Measure(regionSnapshot, risk, options.TimingIterations);

        var header = $"{options.Region} {Path.GetFileName(options.Prices)}, {options.Window} window {market.Grid.TimeOf(from):yyyy-MM-dd HH:mm} → {market.Grid.TimeOf(to):yyyy-MM-dd HH:mm} UTC " +
                     $"({to - from} h), {options.Vcpu} vCPU = {market.Workload.Count} pods of 1 vCPU/2 GiB, families {string.Join('/', options.Families)} × {string.Join('/', BenchMarket.Sizes)}, " +
                     $"{market.Pools.Length} pools, {seeds.Count} seeds ({seeds[0]}…{seeds[^1]}), hive-mind TTL {options.RiskTtlMinutes} min, ours: weights {100 - options.RiskWeightPercent}/{options.RiskWeightPercent} % price/risk, max pool share {options.MaxPoolSharePercent} %, Spot Advisor buckets ranked {options.CapacityTierWidth} to a group, " +
                     $"signals {WarningSignalsText.Describe(options.Signals)} (placement rule: scores below {options.PlacementPolicy.TrustedFrom} lift the hazard up to ×{options.PlacementPolicy.LowestScoreLift:0.#} at 1); " +
                     $"AWS's warnings per seed: {rebalanceCount / (double)seeds.Count:F1} rebalance recommendations, {warnedReclaims / (double)seeds.Count:F1} of them ahead of a reclaim";
        Console.WriteLine($"Parameters: {header}; model {options.Model} loaded: {(loadErrors.Count == 0 ? "yes" : "NO: " + string.Join("; ", loadErrors))}; " +
                          $"decisions on the L1 fallback: {fallbacks}; replay {replay.TotalSeconds:F0} s, total {clock.Elapsed.TotalSeconds:F0} s");
        Console.WriteLine();
        var bestBucketBound = market.CheapestCapacityCost(from, to, maxBucket: 0);
        var misses = SpotReport.Print(results.ToList(), bestBucketBound, training, ttl, selection, decision, options.Signals);
        if (options.Chart is { } chartPath)
        {
            File.WriteAllText(chartPath, SpotReport.Chart(results.ToList(), options.RiskWeightPercent, $"{options.Region}, {options.Window} window, {options.Vcpu} vCPU, {seeds.Count} seeds: cost vs interrupted pods"));
            Progress($"wrote the Pareto chart to {chartPath}");
        }

        return Task.FromResult(misses == 0 ? 0 : 1);
    }

    private static (RiskAssessor Risk, IReadOnlyList<string> Errors) LogisticRisk(string json, RiskReferenceData reference, string? writeTo)
    {
        if (writeTo is not null) File.WriteAllText(writeTo, json + "\n");
        var load = InterruptionModelLoader.Load(new MemoryStream(Encoding.UTF8.GetBytes(json)), reference);
        return (RiskAssessor.From(load, reference), load.Errors);
    }

    private static void Progress(string message) => Console.Error.WriteLine($"[spot] {message}");

    internal static double OracleTargetRatio => OracleTarget;

    internal static double SelectionTarget => SelectionTargetMicros;
}
