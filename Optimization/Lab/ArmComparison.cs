using MathNet.Numerics.Distributions;

namespace SpotOptimizer.Optimization.Lab;

/// <summary>What one arm of an A/B test observed: its savings rate per tick (USD per hour) and its interruptions per Spot-hour.</summary>
/// <param name="HourlySavings">One sample per tick: what the arm saved per hour against its On-Demand baseline.</param>
/// <param name="SpotHours">Hours the arm ran on Spot: the exposure its interruptions are counted against.</param>
public sealed record ArmObservations(string Arm, IReadOnlyList<double> HourlySavings, int Interruptions, double SpotHours);

/// <param name="Winner">The winning arm, or null while no difference is significant.</param>
/// <param name="Reason">
/// <c>collecting</c> (too few samples), <c>fewer_interruptions</c>, <c>higher_savings</c> or <c>no_significant_difference</c>.
/// </param>
/// <param name="InterruptionsPValue">Two-sided exact test of equal interruption rates (null without interruptions or exposure).</param>
/// <param name="SavingsPValue">Two-sided Welch t-test of equal mean hourly savings (null with fewer than two samples per arm).</param>
public sealed record ArmVerdict(string? Winner, string Reason, double? InterruptionsPValue, double? SavingsPValue);

/// <summary>
/// Declares an A/B test's winner only when the data says so. Stability beats savings (the seed's rule): interruption
/// rates are compared first, with the exact conditional test for two Poisson rates (given n interruptions in all, arm
/// A's count is Binomial(n, hA / (hA + hB)) when the rates are equal, h being Spot-hours); only when they do not differ
/// significantly do savings decide, by Welch's t-test on the per-tick hourly savings (unequal variances: the arms
/// run different pools). Pure: same observations, same verdict.
/// </summary>
public static class ArmComparison
{
    public const double DefaultAlpha = 0.05;
    public const int DefaultMinSamples = 10;

    public static ArmVerdict Compare(ArmObservations a, ArmObservations b, double alpha = DefaultAlpha, int minSamples = DefaultMinSamples)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(alpha, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(alpha, 1);
        var interruptions = InterruptionRatesPValue(a.Interruptions, a.SpotHours, b.Interruptions, b.SpotHours);
        var savings = WelchPValue(a.HourlySavings, b.HourlySavings);
        if (a.HourlySavings.Count < minSamples || b.HourlySavings.Count < minSamples) return new ArmVerdict(null, "collecting", interruptions, savings);
        if (interruptions < alpha)
        {
            var rateA = a.Interruptions / a.SpotHours;
            var rateB = b.Interruptions / b.SpotHours;
            return new ArmVerdict(rateA < rateB ? a.Arm : b.Arm, "fewer_interruptions", interruptions, savings);
        }

        if (savings < alpha) return new ArmVerdict(Mean(a.HourlySavings) > Mean(b.HourlySavings) ? a.Arm : b.Arm, "higher_savings", interruptions, savings);
        return new ArmVerdict(null, "no_significant_difference", interruptions, savings);
    }

    /// <summary>Two-sided p-value of equal Poisson rates given the counts and exposures; null when there is nothing to compare.</summary>
    public static double? InterruptionRatesPValue(int countA, double hoursA, int countB, double hoursB)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(countA);
        ArgumentOutOfRangeException.ThrowIfNegative(countB);
        var n = countA + countB;
        if (n == 0 || hoursA <= 0 || hoursB <= 0) return null;
        var p = hoursA / (hoursA + hoursB);
        // Two-sided by doubling the smaller tail (capped at 1): conservative and the usual choice for this test.
        var lower = Binomial.CDF(p, n, countA);
        var upper = countA == 0 ? 1.0 : 1.0 - Binomial.CDF(p, n, countA - 1);
        return Math.Min(1.0, 2 * Math.Min(lower, upper));
    }

    /// <summary>Two-sided p-value of Welch's t-test; null with fewer than two samples per side. Two constant, equal sides give 1, two constant, different sides 0.</summary>
    public static double? WelchPValue(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        if (a.Count < 2 || b.Count < 2) return null;
        double meanA = Mean(a), meanB = Mean(b);
        double va = Variance(a, meanA) / a.Count, vb = Variance(b, meanB) / b.Count;
        var se = Math.Sqrt(va + vb);
        if (se == 0) return meanA == meanB ? 1.0 : 0.0;
        var t = (meanA - meanB) / se;
        var df = (va + vb) * (va + vb) / (va * va / (a.Count - 1) + vb * vb / (b.Count - 1));
        return 2 * StudentT.CDF(0, 1, df, -Math.Abs(t));
    }

    private static double Mean(IReadOnlyList<double> values)
    {
        var sum = 0.0;
        foreach (var v in values) sum += v;
        return values.Count == 0 ? 0 : sum / values.Count;
    }

    private static double Variance(IReadOnlyList<double> values, double mean)
    {
        var sum = 0.0;
        foreach (var v in values) sum += (v - mean) * (v - mean);
        return sum / (values.Count - 1);
    }
}
