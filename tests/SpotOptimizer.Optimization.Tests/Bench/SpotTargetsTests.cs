using SpotOptimizer.Bench.Spot;

namespace SpotOptimizer.Optimization.Tests.Bench;

public sealed class SpotTargetsTests
{
    private static readonly StrategySummary Pco = new("pco", 1000, 0.60, 9.0, 0.50);
    private static readonly StrategySummary LowestPrice = new("lp", 960, 1.60, 24.0, 1.60);
    private static readonly StrategySummary GoodDefault = new("ours", 975, 0.55, 8.0, 0.48);
    private static readonly StrategySummary GoodStability = new("stability", 990, 0.30, 4.0, 0.50);

    private static Dictionary<string, bool?> Verdicts(StrategySummary ours, StrategySummary stability, double oracle = 930) =>
        SpotTargets.Judge(ours, stability, Pco, LowestPrice, oracle).ToDictionary(r => r.Metric, r => r.Pass);

    [Fact]
    public void Judge_DefaultThatDominatesPco_PassesEveryRow()
    {
        var verdicts = Verdicts(GoodDefault, GoodStability);

        Assert.Equal(7, verdicts.Count);
        Assert.All(verdicts, v => Assert.True(v.Value, v.Key));
    }

    [Theory]
    [InlineData(975.0, 0.65, 8.0, "Default vs price-capacity-optimized: interrupted nodes")]
    [InlineData(975.0, 0.55, 9.5, "Default vs price-capacity-optimized: interrupted pods")]
    [InlineData(979.3, 0.55, 8.0, "Default vs lowest-price: cost")]                          // 960 × 1.02 = 979.2
    public void Judge_DefaultMissingOneCondition_MissesExactlyThatRow(double cost, double interruptions, double pods, string missed)
    {
        var verdicts = Verdicts(GoodDefault with { Cost = cost, Interruptions = interruptions, InterruptedPods = pods }, GoodStability);

        Assert.False(verdicts[missed]);
        Assert.Equal(6, verdicts.Count(v => v.Value == true));
    }

    [Fact]
    public void Judge_DefaultTyingPcoCost_IsNotCheaper()
    {
        var nearPco = new StrategySummary("lp", 990, 1.6, 24, 1.6);

        var verdicts = SpotTargets.Judge(GoodDefault with { Cost = Pco.Cost }, GoodStability, Pco, nearPco, 930).ToDictionary(r => r.Metric, r => r.Pass);

        Assert.False(verdicts["Default vs price-capacity-optimized: cost"]);
        Assert.True(verdicts["Default vs lowest-price: cost"]);
    }

    [Fact]
    public void Judge_CostAboveTenPercentOverOracle_Misses()
    {
        Assert.False(Verdicts(GoodDefault, GoodStability, oracle: 975 / 1.11)["Default: cost / oracle"]);
        Assert.True(Verdicts(GoodDefault, GoodStability, oracle: 975 / 1.10)["Default: cost / oracle"]);
    }

    [Theory]
    [InlineData(0.50, 0.30, 1000.0, true)]  // count exactly half of PCO's, cost equal to PCO's; exposure equal to PCO's does not decide
    [InlineData(0.20, 0.31, 990.0, false)]  // count just above half: not clearly fewer, however low the exposure
    [InlineData(0.50, 0.46, 990.0, false)]  // 0.77 × PCO's: what the draw's luck alone gave a placement no safer than PCO's
    [InlineData(0.40, 0.20, 1000.5, null)] // clearly fewer, but dearer than PCO: the cost row misses
    public void Judge_Stability_ClearlyFewerMeansAtMostHalfPcosCount(double exposure, double interruptions, double cost, bool? interruptionsPass)
    {
        var verdicts = Verdicts(GoodDefault, GoodStability with { Exposure = exposure, Interruptions = interruptions, Cost = cost });

        if (interruptionsPass is { } expected)
        {
            Assert.Equal(expected, verdicts["Stability vs price-capacity-optimized: interruptions"]);
            Assert.True(verdicts["Stability vs price-capacity-optimized: cost"]);
        }
        else
        {
            Assert.True(verdicts["Stability vs price-capacity-optimized: interruptions"]);
            Assert.False(verdicts["Stability vs price-capacity-optimized: cost"]);
        }
    }

    [Theory]
    [InlineData(0.45, true)]
    [InlineData(0.46, false)]
    public void Judge_Stability_NoInterruptionForEither_ExposureDecides(double exposure, bool pass)
    {
        var quiet = Pco with { Interruptions = 0 };

        var verdicts = SpotTargets.Judge(GoodDefault with { Interruptions = 0, InterruptedPods = 0 }, GoodStability with { Interruptions = 0, Exposure = exposure }, quiet, LowestPrice, 930)
            .ToDictionary(r => r.Metric, r => r.Pass);

        Assert.Equal(pass, verdicts["Stability vs price-capacity-optimized: interruptions"]);
    }
}
