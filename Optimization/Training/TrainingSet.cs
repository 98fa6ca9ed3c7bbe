using SpotOptimizer.Optimization.Market;
using SpotOptimizer.Optimization.Risk;

namespace SpotOptimizer.Optimization.Training;

/// <summary>Labelled examples: row <c>i</c> is <c>Features[i*Width .. (i+1)*Width)</c>, its label and its type's bucket.</summary>
public sealed class TrainingSet
{
    internal TrainingSet(double[] features, byte[] labels, int?[] buckets, int width, int[]? hours = null)
    {
        Features = features;
        Labels = labels;
        Buckets = buckets;
        Width = width;
        Hours = hours ?? [.. Enumerable.Range(0, labels.Length)];
    }

    public int Width { get; }

    public int Count => Labels.Length;

    public int Positives => Labels.Count(l => l == 1);

    internal double[] Features { get; }

    internal byte[] Labels { get; }

    internal int?[] Buckets { get; }

    /// <summary>The grid hour each example was taken at (its features end there, its label starts after it).</summary>
    internal int[] Hours { get; }

    public ReadOnlySpan<double> Row(int i) => Features.AsSpan(i * Width, Width);

    public static TrainingSet FromRows(IReadOnlyList<double[]> rows, IReadOnlyList<bool> labels, IReadOnlyList<int?> buckets)
    {
        var width = rows.Count > 0 ? rows[0].Length : RiskFeatures.Count;
        return new TrainingSet(rows.SelectMany(r => r).ToArray(), labels.Select(l => (byte)(l ? 1 : 0)).ToArray(), [.. buckets], width);
    }

    /// <summary>
    /// Examples at every <paramref name="sampleEvery"/>-th hour in [<paramref name="fromHour"/>, <paramref name="toHour"/>)
    /// for every pool with a price: features from the history up to that hour, label from the following
    /// <see cref="LabelDefinition.HorizonHours"/> (hours whose horizon leaves the grid are skipped).
    /// </summary>
    public static TrainingSet Build(HourlyPriceGrid grid, RiskReferenceData reference, LabelDefinition label, int fromHour, int toHour, int sampleEvery)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleEvery, 1);
        toHour = Math.Min(toHour, grid.Hours - label.HorizonHours);
        var features = new List<double>();
        var labels = new List<byte>();
        var buckets = new List<int?>();
        var hours = new List<int>();
        Span<double> x = stackalloc double[RiskFeatures.Count];
        for (var pool = 0; pool < grid.Pools.Count; pool++)
        {
            var type = grid.Pools[pool].InstanceType;
            var od = reference.OnDemandPrice(type);
            var bucket = reference.Bucket(type);
            var row = grid.Prices[pool];
            for (var hour = Math.Max(0, fromHour); hour < toHour; hour += sampleEvery)
            {
                if (double.IsNaN(row[hour])) continue;
                var at = grid.TimeOf(hour);
                RiskFeatures.Compute(grid.History(pool, hour, RiskFeatures.WindowHours), od, bucket, at.Hour, InterruptionContract.DayOfWeek(at), x);
                foreach (var v in x) features.Add(v);
                labels.Add(IsPositive(row, hour, label) ? (byte)1 : (byte)0);
                buckets.Add(bucket);
                hours.Add(hour);
            }
        }

        return new TrainingSet([.. features], [.. labels], [.. buckets], RiskFeatures.Count, [.. hours]);
    }

    /// <summary>The label of <see cref="LabelDefinition"/>: a rise of at least the threshold within the horizon.</summary>
    public static bool IsPositive(ReadOnlySpan<double> hourlyPrices, int hour, LabelDefinition label)
    {
        var threshold = hourlyPrices[hour] * (1 + label.RiseThreshold);
        var end = Math.Min(hourlyPrices.Length - 1, hour + label.HorizonHours);
        for (var h = hour + 1; h <= end; h++)
        {
            if (hourlyPrices[h] >= threshold) return true;
        }

        return false;
    }
}
