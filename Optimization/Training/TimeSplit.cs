using SpotOptimizer.Optimization.Market;
using SpotOptimizer.Optimization.Risk;

namespace SpotOptimizer.Optimization.Training;

/// <summary>Training and test examples on either side of one instant; every model of a comparison gets these same two sets.</summary>
public sealed record TimeSplitSets(TrainingSet Train, TrainingSet Test, int SplitHour, int TrainFromHour, int TrainToHour);

/// <summary>
/// The time split with no label leakage: training examples are taken in [warm-up, split − horizon), so the last
/// training label (the <see cref="LabelDefinition.HorizonHours"/> after its hour) ends before the split hour; test
/// examples start at the split. Features only ever look back, so test features may read pre-split prices.
/// </summary>
public static class TimeSplit
{
    public static TimeSplitSets Build(HourlyPriceGrid grid, RiskReferenceData reference, DateTimeOffset split, LabelDefinition label, int warmupHours, int sampleEveryHours)
    {
        var splitHour = (int)Math.Floor((split - grid.Start).TotalHours);
        if (splitHour <= warmupHours + label.HorizonHours || splitHour >= grid.Hours - label.HorizonHours)
        {
            throw new ArgumentException($"split {split:u} leaves no room for training and test around a {label.HorizonHours} h label", nameof(split));
        }

        var trainTo = splitHour - label.HorizonHours;
        var train = TrainingSet.Build(grid, reference, label, warmupHours, trainTo, sampleEveryHours);
        var test = TrainingSet.Build(grid, reference, label, splitHour, grid.Hours, sampleEveryHours);
        return new TimeSplitSets(train, test, splitHour, warmupHours, trainTo);
    }

    /// <summary>Positive rate per bucket 0..4 and "unknown" (slot 5), Laplace-smoothed: the calibrated bucket heuristic.</summary>
    internal static double[] BucketRates(TrainingSet train)
    {
        var positives = new double[6];
        var totals = new double[6];
        for (var i = 0; i < train.Count; i++)
        {
            var slot = BucketSlot(train.Buckets[i]);
            totals[slot]++;
            positives[slot] += train.Labels[i];
        }

        return positives.Select((p, slot) => (p + 1) / (totals[slot] + 2)).ToArray();
    }

    internal static int BucketSlot(int? bucket) => bucket is { } b ? Math.Clamp(b, 0, 4) : 5;
}
