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
}
