using SpotOptimizer.Optimization.Commitments;

namespace SpotOptimizer.Optimization.Tests.Commitments;

/// <summary>Coverage in AWS's order with hand-computed answers: zonal RI, regional RI, EC2 Instance SP, Compute SP.</summary>
public sealed class CommitmentCoverageTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 15, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Start = Now.AddMonths(-6);
    private static readonly DateTimeOffset End = Now.AddMonths(6);

    private static OnDemandUsage Node(string id, string type, double price, string zone = "us-east-1a") => new(id, type, "us-east-1", zone, price);

    [Fact]
    public void Compute_ZonalBeforeRegionalReservedInstance_EachCoversWholeNodesOfItsType()
    {
        var nodes = new[] { Node("i-1", "m5.xlarge", 0.192, "us-east-1a"), Node("i-2", "m5.xlarge", 0.192, "us-east-1b"), Node("i-3", "m5.xlarge", 0.192, "us-east-1b") };
        var regional = new Commitment("ri-regional", CommitmentKind.ReservedInstance, Start, End, InstanceType: "m5.xlarge", Region: "us-east-1", Count: 1, HourlyRate: 0.12);
        var zonal = new Commitment("ri-zonal", CommitmentKind.ReservedInstance, Start, End, InstanceType: "m5.xlarge", Region: "us-east-1", Zone: "us-east-1b", Count: 1,
            DiscountPercent: 40);

        var result = CommitmentCoverage.Compute(nodes, [regional, zonal], Now);

        // The zonal RI takes the first 1b node (i-2) at 0.192 × 0.6 = 0.1152; the regional one the first node left (i-1) at 0.12.
        Assert.Equal("ri-zonal", result.For("i-2")!.CommitmentId);
        Assert.Equal(0.1152, result.For("i-2")!.EffectiveHourlyPrice, 6);
        Assert.Equal("ri-regional", result.For("i-1")!.CommitmentId);
        Assert.Equal(0.12, result.For("i-1")!.EffectiveHourlyPrice, 6);
        Assert.False(result.For("i-3")!.Covered);
        Assert.Equal(0.192, result.For("i-3")!.EffectiveHourlyPrice, 6);
        Assert.All(result.Commitments, c => Assert.Equal(1.0, c.Utilisation, 6));
    }

    [Fact]
    public void Compute_SavingsPlans_InstancePlanFirstThenComputePlan_LastNodePartlyCovered()
    {
        // m5.xlarge at 0.20: at 30 % off an hour costs 0.14; c5.xlarge at 0.17: at 20 % off it costs 0.136.
        var nodes = new[] { Node("i-a", "m5.xlarge", 0.20), Node("i-b", "m5.xlarge", 0.20), Node("i-c", "c5.xlarge", 0.17) };
        var instancePlan = new Commitment("sp-m5", CommitmentKind.Ec2InstanceSavingsPlan, Start, End, Family: "m5", Region: "us-east-1",
            DiscountPercent: 30, HourlyCommitment: 0.21);
        var computePlan = new Commitment("sp-compute", CommitmentKind.ComputeSavingsPlan, Start, End, DiscountPercent: 20, HourlyCommitment: 0.10);

        var result = CommitmentCoverage.Compute(nodes, [computePlan, instancePlan], Now);

        // sp-m5: i-a whole (0.14), then 0.07 left buys half of i-b. sp-compute: the other half of i-b (0.5 × 0.16 = 0.08),
        // then 0.02 left buys 0.02 / 0.136 of i-c.
        var a = result.For("i-a")!;
        Assert.Equal(1, a.CoveredShare, 9);
        Assert.Equal(0.14, a.EffectiveHourlyPrice, 9);
        var b = result.For("i-b")!;
        Assert.Equal(["sp-m5", "sp-compute"], b.Pieces.Select(p => p.CommitmentId));
        Assert.Equal(0.5, b.Pieces[0].Share, 9);
        Assert.Equal(1, b.CoveredShare, 9);
        Assert.Equal(0.07 + 0.08, b.EffectiveHourlyPrice, 9);
        var c = result.For("i-c")!;
        Assert.Equal(0.02 / 0.136, c.CoveredShare, 9);
        Assert.Equal(0.02 + ((1 - (0.02 / 0.136)) * 0.17), c.EffectiveHourlyPrice, 9);
        var m5 = result.Commitments.Single(u => u.CommitmentId == "sp-m5");
        Assert.Equal(1.0, m5.Utilisation, 9);
        Assert.Equal("usd_per_hour", m5.Unit);
        Assert.Equal(1.0, result.Commitments.Single(u => u.CommitmentId == "sp-compute").Utilisation, 9);
    }

    [Fact]
    public void Compute_SavingsPlanLargerThanTheFleet_IsPartlyUsed()
    {
        var plan = new Commitment("sp", CommitmentKind.ComputeSavingsPlan, Start, End, DiscountPercent: 50, HourlyCommitment: 1.0);

        var result = CommitmentCoverage.Compute([Node("i-1", "m5.xlarge", 0.2)], [plan], Now);

        Assert.Equal(0.1, result.For("i-1")!.EffectiveHourlyPrice, 9);
        var utilisation = Assert.Single(result.Commitments);
        Assert.Equal(0.1, utilisation.Used, 9);
        Assert.Equal(0.1, utilisation.Utilisation, 9);
    }

    [Fact]
    public void Compute_HigherDiscountComputePlanFirst_AndExpiredOrOtherRegionCommitmentsPayNothing()
    {
        var nodes = new[] { Node("i-1", "m5.xlarge", 0.2) };
        var expired = new Commitment("ri-old", CommitmentKind.ReservedInstance, Start.AddYears(-1), Start, InstanceType: "m5.xlarge", Region: "us-east-1", Count: 1, HourlyRate: 0.01);
        var elsewhere = new Commitment("ri-eu", CommitmentKind.ReservedInstance, Start, End, InstanceType: "m5.xlarge", Region: "eu-west-1", Count: 1, HourlyRate: 0.01);
        var small = new Commitment("sp-a", CommitmentKind.ComputeSavingsPlan, Start, End, DiscountPercent: 10, HourlyCommitment: 1);
        var large = new Commitment("sp-b", CommitmentKind.ComputeSavingsPlan, Start, End, DiscountPercent: 25, HourlyCommitment: 1);

        var result = CommitmentCoverage.Compute(nodes, [expired, elsewhere, small, large], Now);

        Assert.Equal("sp-b", result.For("i-1")!.CommitmentId);
        Assert.Equal(0.15, result.For("i-1")!.EffectiveHourlyPrice, 9);
        Assert.False(result.Commitments.Single(c => c.CommitmentId == "ri-old").Active);
        Assert.Equal(0, result.Commitments.Single(c => c.CommitmentId == "ri-eu").Used);
        Assert.Equal(0, result.Commitments.Single(c => c.CommitmentId == "sp-a").Used);
        Assert.Equal(["i-1"], result.CoveredInstanceIds);
    }
}
