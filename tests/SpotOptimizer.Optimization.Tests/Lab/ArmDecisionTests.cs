using SpotOptimizer.Optimization.Lab;
using SpotOptimizer.Optimization.Market;
using SpotOptimizer.Optimization.Risk;
using SpotOptimizer.Optimization.Tests.Risk;

namespace SpotOptimizer.Optimization.Tests.Lab;

public sealed class ArmDecisionTests
{
    private static readonly DateTimeOffset Now = new(2021, 4, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly InstanceTypeInfo Original = Catalog.Type("m5.xlarge", 4, 16);

    private static MarketSnapshot Market()
    {
        PoolQuote Quote(string zone, string type, double price, int vcpu, int memory) =>
            new(new SpotPoolId(zone, type), Catalog.Type(type, vcpu, memory), price, null, null, [price, price, price]);

        return new MarketSnapshot("us-east-1", Now,
        [
            Quote("us-east-1a", "m5.xlarge", 0.080, 4, 16),
            Quote("us-east-1b", "m5.xlarge", 0.060, 4, 16),
            Quote("us-east-1a", "m6i.xlarge", 0.070, 4, 16),
            Quote("us-east-1a", "m5.large", 0.030, 2, 8), // too small for the node it replaces
            Quote("us-east-1b", "c5.xlarge", 0.050, 4, 8), // another category
        ],
        [new OnDemandOffer(Original, 0.192)]);
    }

    /// <summary>A model that answers a fixed probability per pool (0.05 for any other).</summary>
    private sealed class PoolRiskModel(Dictionary<string, double> risks) : IInterruptionPredictor
    {
        public string Version => "pool-risk-1";

        public InterruptionPrediction Predict(InterruptionPredictionRequest request)
        {
            var p = risks.GetValueOrDefault($"{request.Features.AvailabilityZone}/{request.Features.InstanceType}", 0.05);
            return new InterruptionPrediction(PredictionIds.For(request, Version), p, 0.9, InterruptionContract.ActionFor(p));
        }
    }

    private static RiskAssessor Assessor(Dictionary<string, double>? risks = null) => new(new PoolRiskModel(risks ?? []), TestModels.Reference);

    [Fact]
    public void Choose_CalmModel_CheapestComparablePool()
    {
        var choice = ArmDecision.Choose(Original, null, Market(), new HashSet<SpotPoolId>(), Assessor(), Now);

        Assert.Equal(new SpotPoolId("us-east-1b", "m5.xlarge"), choice!.Pool);
        Assert.Equal(0.060, choice.HourlyPrice);
        Assert.Equal("pool-risk-1", choice.ModelVersion);
    }

    [Fact]
    public void Choose_ModelAvoidsTheCheapestPool_TwoModelsChooseDifferently()
    {
        var wary = Assessor(new() { ["us-east-1b/m5.xlarge"] = 0.8 });

        var choice = ArmDecision.Choose(Original, null, Market(), new HashSet<SpotPoolId>(), wary, Now);

        Assert.Equal(new SpotPoolId("us-east-1a", "m6i.xlarge"), choice!.Pool);
    }

    [Fact]
    public void Choose_ZonePinned_StaysInTheZone()
    {
        var choice = ArmDecision.Choose(Original, ["us-east-1a"], Market(), new HashSet<SpotPoolId>(), Assessor(), Now);

        Assert.Equal(new SpotPoolId("us-east-1a", "m6i.xlarge"), choice!.Pool);
    }

    [Fact]
    public void Choose_EveryComparablePoolFlagged_NoChoice()
    {
        var flagged = new HashSet<SpotPoolId> { new("us-east-1a", "m5.xlarge"), new("us-east-1b", "m5.xlarge"), new("us-east-1a", "m6i.xlarge") };

        Assert.Null(ArmDecision.Choose(Original, null, Market(), flagged, Assessor(), Now));
    }

    [Theory]
    [InlineData(null, 0.192, false, 0.0, true)] // still On-Demand
    [InlineData("us-east-1a/m6i.xlarge", 0.070, true, 0.0, true)] // interrupted
    [InlineData("us-east-1b/m5.xlarge", 0.060, false, 0.0, false)] // already there
    [InlineData("us-east-1a/m6i.xlarge", 0.070, false, 0.6, true)] // its model now says AVOID
    [InlineData("us-east-1a/m6i.xlarge", 0.065, false, 0.1, false)] // 8 % cheaper is not worth a move
    [InlineData("us-east-1a/m6i.xlarge", 0.070, false, 0.1, true)] // 14 % cheaper is
    public void ShouldMove_Rules(string? pool, double price, bool interrupted, double currentRisk, bool expected)
    {
        var position = new ArmPosition(pool is null ? null : new SpotPoolId(pool.Split('/')[0], pool.Split('/')[1]), price, interrupted);
        var choice = new ArmChoice(new SpotPoolId("us-east-1b", "m5.xlarge"), 0.060, 0.05, "v", RiskSource.Model);

        Assert.Equal(expected, ArmDecision.ShouldMove(position, choice, new HashSet<SpotPoolId>(), currentRisk));
    }

    [Fact]
    public void ShouldMove_CurrentPoolFlagged_Moves()
    {
        var current = new SpotPoolId("us-east-1a", "m6i.xlarge");
        var choice = new ArmChoice(new SpotPoolId("us-east-1b", "m5.xlarge"), 0.069, 0.05, "v", RiskSource.Model);

        Assert.True(ArmDecision.ShouldMove(new ArmPosition(current, 0.070, false), choice, new HashSet<SpotPoolId> { current }, 0.05));
    }
}
