using SpotOptimizer.Optimization.Market;
using SpotOptimizer.Optimization.Risk;

namespace SpotOptimizer.Optimization.Tests.Risk;

public sealed class PlacementScoresTests
{
    private static readonly SpotPoolId Pool = new("us-east-1a", "c5.xlarge");

    [Theory]
    [InlineData(10, 1.0)]
    [InlineData(7, 1.0)]
    [InlineData(4, 2.0)]
    [InlineData(1, 3.0)]
    [InlineData(0, 3.0)]
    public void Lift_DefaultPolicy_LinearBelowTrustedScore(int score, double lift) =>
        Assert.Equal(lift, PlacementScorePolicy.Default.Lift(score), 12);

    [Fact]
    public void Apply_LowScore_MultipliesTheHazardNotTheProbability()
    {
        var raised = PlacementScorePolicy.Default.Apply(0.6, 1);

        Assert.Equal(1 - Math.Pow(0.4, 3), raised, 12);
        Assert.InRange(raised, 0.6, 1.0);
        Assert.Equal(0.03, PlacementScorePolicy.Default.Apply(0.01, 1), 3);
    }

    [Fact]
    public void Apply_PoolWithoutScoreOrPolicyOff_ModelRiskKept()
    {
        var scores = new PlacementScores(new Dictionary<SpotPoolId, int> { [Pool] = 1 }, PlacementScorePolicy.Off);

        Assert.Equal(0.2, scores.Apply(Pool, 0.2));
        Assert.Equal(0.2, PlacementScores.None.Apply(Pool, 0.2));
        Assert.True(new PlacementScores(scores.ByPool, PlacementScorePolicy.Default).Apply(Pool, 0.2) > 0.2);
    }
}
