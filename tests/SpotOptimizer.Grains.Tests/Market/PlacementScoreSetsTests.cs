using SpotOptimizer.Cloud;
using SpotOptimizer.Grains.Market;
using SpotOptimizer.Optimization.Market;

namespace SpotOptimizer.Grains.Tests.Market;

public sealed class PlacementScoreSetsTests
{
    [Fact]
    public void For_OneSetPerFamilyOfThreeOrMore_SmallFamiliesTogether_RunningFamiliesFirst()
    {
        var candidates = Types("c5.large", "c5.xlarge", "c5.2xlarge", "m5.large", "m5.xlarge", "m5.2xlarge", "m5.4xlarge", "r5.large", "r5.xlarge", "t3.large");

        var sets = PlacementScoreSets.For(candidates, ["m5.xlarge", "m5.large"], nodes: 5);

        Assert.Equal(
            ["m5.2xlarge,m5.4xlarge,m5.large,m5.xlarge", "c5.2xlarge,c5.large,c5.xlarge", "r5.large,r5.xlarge,t3.large"],
            sets.Select(s => string.Join(',', s.InstanceTypes)));
        Assert.All(sets, s => Assert.Equal(8, s.TargetCapacity));
    }

    [Fact]
    public void For_FewerThanThreeTypesLeft_ThoseStayUnscored_AndSetsAreCapped()
    {
        Assert.Empty(PlacementScoreSets.For(Types("r5.large", "t3.large"), [], nodes: 1));

        var many = Types([.. Enumerable.Range(1, PlacementScoreSets.MaxSets + 3).SelectMany(f => new[] { $"x{f}.large", $"x{f}.xlarge", $"x{f}.2xlarge" })]);
        Assert.Equal(PlacementScoreSets.MaxSets, PlacementScoreSets.For(many, [], nodes: 3).Count);
    }

    [Fact]
    public void TargetCapacity_NodeCountRoundedUpToAPowerOfTwo_SoSmallChangesAskTheSameConfiguration()
    {
        Assert.Equal([1, 1, 2, 4, 8, 8, 16], new[] { 0, 1, 2, 3, 5, 8, 9 }.Select(PlacementScoreSets.TargetCapacity));
    }

    [Fact]
    public void ByPool_EachSetsZoneScoreOnEachOfItsTypes_InTheTenantsZoneNames()
    {
        var query = new PlacementScoreQuery(["m5.large", "m5.xlarge", "m5.2xlarge"], 4);
        var names = new Dictionary<string, string> { ["use1-az4"] = "us-east-1a", ["use1-az1"] = "us-east-1b" };

        var byPool = PlacementScoreSets.ByPool([(query, [new SpotPlacementScore("use1-az4", 2), new SpotPlacementScore("use1-az1", 9), new SpotPlacementScore("use1-az6", 5)])], names);

        Assert.Equal(6, byPool.Count);
        Assert.Equal(2, byPool[new SpotPoolId("us-east-1a", "m5.2xlarge")]);
        Assert.Equal(9, byPool[new SpotPoolId("us-east-1b", "m5.large")]);
    }

    private static IReadOnlyList<InstanceTypeInfo> Types(params string[] names) =>
        [.. names.Select(n => new InstanceTypeInfo(n, InstanceTypeInfo.FamilyOf(n), n[..1], 5, n[(n.IndexOf('.', StringComparison.Ordinal) + 1)..],
            CpuArchitecture.Amd64, 2, 8192, 1930, 7000, 29, 0, null))];
}
