using System.Diagnostics;
using System.Globalization;
using System.Text;
using SpotOptimizer.Optimization.Market;
using SpotOptimizer.Optimization.Risk;
using SpotOptimizer.Optimization.Training;

namespace SpotOptimizer.Bench.Spot;

/// <summary>
/// `spot-models`: the logistic regression, FastTree and LightGBM interruption models trained on the first half of a
/// price history (the `spot` benchmark's split, labels ending before it) and scored on the same test examples of the
/// second half: AUC, Brier score, log-loss, calibration curve, tree gain and permutation importance. Same options as
/// `spot` for the data (<c>--prices --region --advisor --data --families</c>); <c>--seed</c> seeds the trees and the
/// permutations (default 1).
/// </summary>
internal static class SpotModelsBenchmark
{
    private static readonly string[] Names = ["logistic", "FastTree", "LightGBM"];

    public static Task<int> RunAsync(BenchArgs args)
    {
        var options = SpotOptions.Read(args);
        var permutationRows = args.Int("permutation-rows", 50_000, 1_000, 10_000_000);
        if (!BenchEnvironment.Start("spot-models", args)) return Task.FromResult(3);
        var clock = Stopwatch.StartNew();
        var pack = SpotDataPack.Locate(options.DataDirectory);
        var book = pack.PriceBook(options.Prices);
        var catalog = pack.Catalog();
        var onDemand = pack.OnDemandPrices();
        var buckets = pack.Advisor(options.Advisor).BucketsFor(options.Region);
        var reference = new RiskReferenceData(onDemand, buckets);
        // The `spot` benchmark's split: the market's hours halved.
        var market = BenchMarket.Build(book, catalog, onDemand, buckets, options.Families, options.Vcpu);
        var split = market.Grid.TimeOf(market.Hours / 2);
        var grid = HourlyPriceGrid.Build(book, market.Grid.Start, market.Hours, p => catalog.ContainsKey(p.InstanceType));
        Console.Error.WriteLine($"[spot-models] training three models on {grid.Pools.Count} pools, split {split:u}");
        var comparison = InterruptionModelComparison.Compare(grid, reference, split,
            SpotModelChoice.TrainingOptions(options, "comparison"), new TreeTrainingOptions(Seed: options.FirstSeed), permutationRows);
        Console.WriteLine(Report(options, comparison, permutationRows, clock.Elapsed));
        return Task.FromResult(0);
    }

    internal static string Report(SpotOptions options, ModelComparison c, int permutationRows, TimeSpan elapsed)
    {
        var t = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        var trees = new TreeTrainingOptions(Seed: options.FirstSeed);
        t.AppendLine(inv, $"## Interruption models: {options.Region} {Path.GetFileName(options.Prices)}").AppendLine();
        t.AppendLine(inv, $"Label: {LabelDefinition.PriceRise().Description}. Train {c.TrainFrom:yyyy-MM-dd HH:mm} … {c.TrainTo:yyyy-MM-dd HH:mm} UTC " +
                          $"({c.TrainExamples:N0} examples, {100.0 * c.TrainPositives / c.TrainExamples:F1} % positive; labels end before the split), " +
                          $"test from {c.TestFrom:yyyy-MM-dd HH:mm} UTC ({c.TestExamples:N0} examples, {100.0 * c.TestPositives / c.TestExamples:F1} % positive). " +
                          $"Trees: {trees.Trees} × {trees.Leaves} leaves, ≥ {trees.MinExamplesPerLeaf} examples per leaf, learning rate {trees.LearningRate}, seed {trees.Seed}, one thread; " +
                          $"Platt-calibrated by ML.NET. {elapsed.TotalSeconds:F0} s in all.").AppendLine();
        t.AppendLine("| Model | AUC | Brier | Brier skill vs prior | Log-loss | Training time |");
        t.AppendLine("|---|---:|---:|---:|---:|---:|");
        foreach (var m in c.Models)
        {
            t.AppendLine(inv, $"| {Names[(int)m.Kind]} | {m.Auc:F3} | {m.Brier:F4} | {1 - m.Brier / c.PriorBrier:F3} | {m.LogLoss:F4} | {m.TrainingTime.TotalSeconds:F1} s |");
        }

        t.AppendLine(inv, $"| training prior (constant) | 0.500 | {c.PriorBrier:F4} | 0 | | |");
        t.AppendLine(inv, $"| Spot Advisor bucket (static) | {c.BucketHeuristicAuc:F3} | | | | |").AppendLine();

        t.AppendLine("Calibration on the test period (10 bins of the predicted probability: examples, mean predicted → observed rate):").AppendLine();
        t.AppendLine("| Bin | " + string.Join(" | ", c.Models.Select(m => Names[(int)m.Kind])) + " |");
        t.AppendLine("|---|" + string.Concat(c.Models.Select(_ => "---:|")));
        for (var b = 0; b < c.Models[0].Calibration.Count; b++)
        {
            var bin = c.Models[0].Calibration[b];
            t.Append(inv, $"| {bin.From:F1}–{bin.To:F1} |");
            foreach (var m in c.Models)
            {
                var x = m.Calibration[b];
                t.Append(x.Count == 0 ? " – |" : string.Create(inv, $" {x.Count:N0}: {x.MeanPredicted:F3} → {x.ObservedRate:F3} |"));
            }

            t.AppendLine();
        }

        t.AppendLine().AppendLine(inv, $"Feature importance: tree gain (share of the ensemble's total split gain) and permutation importance (test AUC lost when the feature is shuffled; {Math.Min(permutationRows, c.TestExamples):N0} test examples, the same shuffles for every model):").AppendLine();
        t.AppendLine("| Feature | " + string.Join(" | ", c.Models.Where(m => m.Gain is not null).Select(m => $"{Names[(int)m.Kind]} gain")) + " | " +
                     string.Join(" | ", c.Models.Select(m => $"{Names[(int)m.Kind]} ΔAUC")) + " |");
        t.AppendLine("|---|" + string.Concat(c.Models.Where(m => m.Gain is not null).Select(_ => "---:|")) + string.Concat(c.Models.Select(_ => "---:|")));
        for (var j = 0; j < RiskFeatures.Count; j++)
        {
            t.Append(inv, $"| {RiskFeatures.Names[j]} |");
            foreach (var gain in c.Models.Select(m => m.Gain).OfType<IReadOnlyList<double>>())
            {
                var total = gain.Sum();
                t.Append(inv, $" {(total > 0 ? gain[j] / total * 100 : 0):F1} % |");
            }

            foreach (var m in c.Models) t.Append(inv, $" {m.PermutationAucDrop[j]:+0.000;−0.000;0.000} |");
            t.AppendLine();
        }

        return t.ToString();
    }
}
