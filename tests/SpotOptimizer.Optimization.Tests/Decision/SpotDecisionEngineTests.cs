using SpotOptimizer.Optimization.Decision;
using SpotOptimizer.Optimization.Market;
using SpotOptimizer.Optimization.Risk;
using SpotOptimizer.Optimization.Selection;
using SpotOptimizer.Optimization.Tests.Risk;

namespace SpotOptimizer.Optimization.Tests.Decision;

public sealed class SpotDecisionEngineTests
{
    private static readonly DateTimeOffset Now = new(2021, 4, 1, 12, 0, 0, TimeSpan.Zero);

    private static MarketSnapshot Market(DateTimeOffset at)
    {
        PoolQuote Quote(string zone, string type, double price, int vcpu, int memory) =>
            new(new SpotPoolId(zone, type), Catalog.Type(type, vcpu, memory), price, TestModels.Reference.OnDemandPrice(type), TestModels.Reference.Bucket(type), [price, price, price]);

        return new MarketSnapshot("us-east-1", at,
        [
            Quote("us-east-1a", "c5.xlarge", 0.068, 4, 8),
            Quote("us-east-1b", "c5.xlarge", 0.070, 4, 8),
            Quote("us-east-1a", "m5.large", 0.035, 2, 8),
            Quote("us-east-1b", "m5.large", 0.036, 2, 8),
        ],
        [new OnDemandOffer(Catalog.Type("c5.xlarge", 4, 8), 0.17)]);
    }

    private static SpotDecisionRequest Request(DateTimeOffset marketAt) =>
        new(new WorkloadRequirements(4, 2, 4, CpuArchitecture.Amd64, ["c5", "m5"]), Market(marketAt), new HashSet<SpotPoolId>(), SelectionPolicy.Default, Now);

    [Fact]
    public void Decide_ValidModel_RiskFromModelWithoutFallbackNotes()
    {
        var assessor = RiskAssessor.From(InterruptionModelLoader.Load(TestModels.Artifact(), TestModels.Reference), TestModels.Reference);

        var decision = SpotDecisionEngine.Decide(Request(Now), assessor);

        Assert.Equal((RiskSource.Model, "test-1.0.0"), (decision.RiskSource, decision.RiskModelVersion));
        Assert.DoesNotContain(decision.Notes, n => n.Contains("L1", StringComparison.Ordinal));
        Assert.Equal(SelectionOutcome.Satisfied, decision.Selection.Outcome);
        Assert.Equal(4, decision.PoolRisks.Count);
    }

    [Fact]
    public void Decide_LowPlacementScore_PoolRiskRaisedAndDecisionSaysSo()
    {
        var assessor = RiskAssessor.From(InterruptionModelLoader.Load(TestModels.Artifact(), TestModels.Reference), TestModels.Reference);
        var tight = new SpotPoolId("us-east-1a", "m5.large");
        var request = Request(Now) with { PlacementScores = new PlacementScores(new Dictionary<SpotPoolId, int> { [tight] = 1 }, PlacementScorePolicy.Default) };

        var plain = SpotDecisionEngine.Decide(Request(Now), assessor);
        var scored = SpotDecisionEngine.Decide(request, assessor);

        Assert.Equal(PlacementScorePolicy.Default.Apply(plain.PoolRisks[tight], 1), scored.PoolRisks[tight], 12);
        Assert.True(scored.PoolRisks[tight] > plain.PoolRisks[tight]);
        Assert.Equal(plain.PoolRisks[new SpotPoolId("us-east-1b", "m5.large")], scored.PoolRisks[new SpotPoolId("us-east-1b", "m5.large")]);
        Assert.Contains(scored.Notes, n => n.Contains("[PLACEMENT] risk of 1 of 4 pools", StringComparison.Ordinal));
        Assert.DoesNotContain(plain.Notes, n => n.Contains("[PLACEMENT]", StringComparison.Ordinal));
    }

    [Fact]
    public void Decide_CorruptModelArtifact_HeuristicUsedAndDecisionSaysL1()
    {
        using var corrupt = new MemoryStream("{\"format\": \"spotoptimizer.interruption-model\", \"version\": 3}"u8.ToArray());
        var assessor = RiskAssessor.From(InterruptionModelLoader.Load(corrupt, TestModels.Reference), TestModels.Reference);

        var decision = SpotDecisionEngine.Decide(Request(Now), assessor);

        Assert.Equal((RiskSource.HeuristicFallback, BucketHeuristic.ModelVersion), (decision.RiskSource, decision.RiskModelVersion));
        var note = Assert.Single(decision.Notes, n => n.Contains("[FALLBACK-L1]", StringComparison.Ordinal));
        Assert.Contains("4 of 4 pools", note, StringComparison.Ordinal);
        Assert.Contains("model artifact rejected", note, StringComparison.Ordinal);
        Assert.Equal(BucketHeuristic.Probability(0), decision.PoolRisks[new SpotPoolId("us-east-1a", "c5.xlarge")]);
        Assert.Equal(SelectionOutcome.Satisfied, decision.Selection.Outcome);
    }

    [Fact]
    public void Decide_StalePriceFeed_PricesBufferedAndDecisionSaysL2()
    {
        var assessor = new RiskAssessor(null, TestModels.Reference);

        var fresh = SpotDecisionEngine.Decide(Request(Now.AddMinutes(-5)), assessor);
        var stale = SpotDecisionEngine.Decide(Request(Now.AddHours(-2)), assessor);

        Assert.False(fresh.PricesStale);
        Assert.True(stale.PricesStale);
        Assert.Contains(stale.Notes, n => n.Contains("[STALE-L2]", StringComparison.Ordinal));
        Assert.Equal(fresh.Selection.HourlyCost * 1.1, stale.Selection.HourlyCost, 9);
    }

    [Fact]
    public void Decide_SameInputs_SameDecision()
    {
        var assessor = RiskAssessor.From(InterruptionModelLoader.Load(TestModels.Artifact(), TestModels.Reference), TestModels.Reference);

        var first = SpotDecisionEngine.Decide(Request(Now), assessor);
        var second = SpotDecisionEngine.Decide(Request(Now), assessor);

        Assert.Equal(first.Selection.Allocations, second.Selection.Allocations);
        Assert.Equal(first.Notes, second.Notes);
    }
}
