using SpotOptimizer.Optimization.Lab;

namespace SpotOptimizer.Optimization.Tests.Lab;

public sealed class ArmComparisonTests
{
    private static double[] Samples(double mean, double spread, int count, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(_ => mean + (random.NextDouble() - 0.5) * 2 * spread)];
    }

    [Fact]
    public void Compare_TooFewSamples_CollectingEvenWithADifference()
    {
        var verdict = ArmComparison.Compare(new ArmObservations("A", Samples(1, 0.1, 5, 1), 0, 5), new ArmObservations("B", Samples(2, 0.1, 5, 2), 0, 5));

        Assert.Null(verdict.Winner);
        Assert.Equal("collecting", verdict.Reason);
        Assert.True(verdict.SavingsPValue < 0.05);
    }

    [Fact]
    public void Compare_ClearlyHigherSavingsSameInterruptions_HigherSavingsWins()
    {
        var verdict = ArmComparison.Compare(new ArmObservations("A", Samples(0.10, 0.02, 30, 1), 1, 30), new ArmObservations("B", Samples(0.05, 0.02, 30, 2), 1, 30));

        Assert.Equal(("A", "higher_savings"), (verdict.Winner, verdict.Reason));
        Assert.True(verdict.SavingsPValue < 1e-6);
        Assert.Equal(1.0, verdict.InterruptionsPValue);
    }

    [Fact]
    public void Compare_FewerInterruptionsButLowerSavings_StabilityWins()
    {
        var verdict = ArmComparison.Compare(new ArmObservations("A", Samples(0.10, 0.02, 30, 1), 12, 30), new ArmObservations("B", Samples(0.05, 0.02, 30, 2), 0, 30));

        Assert.Equal(("B", "fewer_interruptions"), (verdict.Winner, verdict.Reason));
    }

    [Fact]
    public void Compare_SameDistribution_NoWinner()
    {
        var verdict = ArmComparison.Compare(new ArmObservations("A", Samples(0.08, 0.02, 30, 1), 2, 30), new ArmObservations("B", Samples(0.08, 0.02, 30, 2), 3, 30));

        Assert.Null(verdict.Winner);
        Assert.Equal("no_significant_difference", verdict.Reason);
    }

    [Theory]
    [InlineData(0, 10, 0, 10, null)]
    [InlineData(5, 10, 5, 10, 1.0)]
    [InlineData(10, 10, 0, 10, 0.001953125)] // 2 × 0.5^10: every one of ten events in arm A, equal exposure
    public void InterruptionRatesPValue_KnownValues(int countA, double hoursA, int countB, double hoursB, double? expected)
    {
        var p = ArmComparison.InterruptionRatesPValue(countA, hoursA, countB, hoursB);

        if (expected is null) Assert.Null(p);
        else Assert.Equal(expected.Value, p!.Value, 9);
    }

    [Fact]
    public void InterruptionRatesPValue_SameCountsDoubleExposure_NotSignificantAtSmallCounts()
    {
        // 2 vs 1 interruption where A ran twice as long: exactly the rate ratio expected under equal rates.
        Assert.Equal(1.0, ArmComparison.InterruptionRatesPValue(2, 20, 1, 10)!.Value, 9);
    }

    [Fact]
    public void WelchPValue_MatchesTextbookExample()
    {
        // Welch's t for these samples is -2.455 with 24.99 degrees of freedom: two-sided p = 0.02138 (computed independently).
        double[] a = [27.5, 21.0, 19.0, 23.6, 17.0, 17.9, 16.9, 20.1, 21.9, 22.6, 23.1, 19.6, 19.0, 21.7, 21.4];
        double[] b = [27.1, 22.0, 20.8, 23.4, 23.4, 23.5, 25.8, 22.0, 24.8, 20.2, 21.9, 22.1, 22.9, 20.5, 24.4];

        Assert.Equal(0.02138, ArmComparison.WelchPValue(a, b)!.Value, 4);
    }

    [Fact]
    public void WelchPValue_ConstantSides_OneWhenEqualZeroWhenNot()
    {
        Assert.Equal(1.0, ArmComparison.WelchPValue([1, 1, 1], [1, 1]));
        Assert.Equal(0.0, ArmComparison.WelchPValue([1, 1, 1], [2, 2]));
        Assert.Null(ArmComparison.WelchPValue([1], [2, 2]));
    }
}
