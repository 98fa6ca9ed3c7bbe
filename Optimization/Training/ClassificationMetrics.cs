namespace SpotOptimizer.Optimization.Training;

/// <summary>Quality of probabilistic predictions of a binary label.</summary>
public static class ClassificationMetrics
{
    /// <summary>Mean negative log-likelihood (natural log), probabilities clamped to [1e-15, 1 − 1e-15].</summary>
    public static double LogLoss(IReadOnlyList<double> probabilities, IReadOnlyList<byte> labels)
    {
        if (probabilities.Count != labels.Count || labels.Count == 0) throw new ArgumentException("need as many probabilities as labels, at least one");
        double sum = 0;
        for (var i = 0; i < labels.Count; i++)
        {
            var p = Math.Clamp(probabilities[i], 1e-15, 1 - 1e-15);
            sum -= labels[i] == 1 ? Math.Log(p) : Math.Log(1 - p);
        }

        return sum / labels.Count;
    }

    /// <summary>
    /// Area under the ROC curve: the chance a random positive scores above a random negative (ties count half),
    /// computed from average ranks (Mann–Whitney U). NaN when one class is absent.
    /// </summary>
    public static double Auc(IReadOnlyList<double> scores, IReadOnlyList<byte> labels)
    {
        if (scores.Count != labels.Count) throw new ArgumentException("need as many scores as labels");
        var order = Enumerable.Range(0, scores.Count).OrderBy(i => scores[i]).ToArray();
        double positives = 0, rankSum = 0;
        for (var start = 0; start < order.Length;)
        {
            var end = start;
            while (end + 1 < order.Length && scores[order[end + 1]] == scores[order[start]]) end++;
            var averageRank = (start + end) / 2.0 + 1;
            for (var j = start; j <= end; j++)
            {
                if (labels[order[j]] != 1) continue;
                positives++;
                rankSum += averageRank;
            }

            start = end + 1;
        }

        var negatives = scores.Count - positives;
        if (positives == 0 || negatives == 0) return double.NaN;
        return (rankSum - positives * (positives + 1) / 2) / (positives * negatives);
    }

    /// <summary>Brier score: the mean squared difference between probability and outcome (0 is perfect, 0.25 a coin).</summary>
    public static double Brier(IReadOnlyList<double> probabilities, IReadOnlyList<byte> labels)
    {
        if (probabilities.Count != labels.Count || labels.Count == 0) throw new ArgumentException("need as many probabilities as labels, at least one");
        double sum = 0;
        for (var i = 0; i < labels.Count; i++)
        {
            var d = probabilities[i] - labels[i];
            sum += d * d;
        }

        return sum / labels.Count;
    }

    /// <summary>
    /// Reliability curve: predictions cut into <paramref name="bins"/> equal-width bins of [0, 1] (a probability of
    /// exactly 1 falls in the last), each with its count, mean predicted probability and observed positive rate.
    /// Empty bins are kept (count 0, NaN means) so curves of several models line up bin by bin.
    /// </summary>
    public static IReadOnlyList<CalibrationBin> Calibration(IReadOnlyList<double> probabilities, IReadOnlyList<byte> labels, int bins = 10)
    {
        if (probabilities.Count != labels.Count) throw new ArgumentException("need as many probabilities as labels");
        ArgumentOutOfRangeException.ThrowIfLessThan(bins, 1);
        var counts = new int[bins];
        var predicted = new double[bins];
        var positives = new double[bins];
        for (var i = 0; i < labels.Count; i++)
        {
            var p = probabilities[i];
            if (!(p is >= 0 and <= 1)) throw new ArgumentException($"probability {p} at row {i} is outside [0, 1]", nameof(probabilities));
            var bin = Math.Min(bins - 1, (int)(p * bins));
            counts[bin]++;
            predicted[bin] += p;
            positives[bin] += labels[i];
        }

        return Enumerable.Range(0, bins)
            .Select(b => new CalibrationBin((double)b / bins, (double)(b + 1) / bins, counts[b],
                counts[b] > 0 ? predicted[b] / counts[b] : double.NaN,
                counts[b] > 0 ? positives[b] / counts[b] : double.NaN))
            .ToList();
    }
}

/// <summary>One bin of a reliability curve: predictions in [<see cref="From"/>, <see cref="To"/>).</summary>
public sealed record CalibrationBin(double From, double To, int Count, double MeanPredicted, double ObservedRate);
