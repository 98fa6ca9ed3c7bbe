using SpotOptimizer.Grains.Execution;

namespace SpotOptimizer.Grains.Tests.Execution;

/// <summary>The node group a launched node belongs in: the replaced node's, else the cluster's that runs most nodes in the zone.</summary>
public sealed class LaunchNodegroupTests
{
    private static readonly NodePlacement[] Nodes =
    [
        new("general", "us-east-1a"), new("general", "us-east-1a"), new("general", "us-east-1b"),
        new("compute", "us-east-1b"), new("compute", "us-east-1b"), new("compute", "us-east-1c"),
        new(null, "us-east-1c"), new(null, "us-east-1c"), new(null, "us-east-1c"),
    ];

    [Fact]
    public void TheReplacedNodesGroup_WinsWhereverItRuns()
    {
        Assert.Equal("compute", LaunchNodegroup.Choose("us-east-1a", [null, "compute", "general"], Nodes, ["general", "compute"]));
    }

    [Theory]
    [InlineData("us-east-1a", "general")]
    [InlineData("us-east-1b", "compute")]
    // Nodes outside any group (ours, self-managed) do not count: compute's one node in c is the most there.
    [InlineData("us-east-1c", "compute")]
    public void NothingReplaced_TheGroupWithMostNodesInTheZone(string zone, string expected)
    {
        Assert.Equal(expected, LaunchNodegroup.Choose(zone, [], Nodes, ["general", "compute"]));
    }

    [Fact]
    public void NoGroupInTheZone_TheGroupWithMostNodes_TiesByName()
    {
        Assert.Equal("compute", LaunchNodegroup.Choose("us-east-1d", [], Nodes, []));
        Assert.Equal("a-group", LaunchNodegroup.Choose("us-east-1d", [], [new("b-group", "us-east-1a"), new("a-group", "us-east-1b")], []));
    }

    [Fact]
    public void GroupsWithoutNodes_StillChosen_AsAHibernatingClusterHasThem()
    {
        Assert.Equal("batch", LaunchNodegroup.Choose("us-east-1a", [null], [], ["system", "batch"]));
    }

    [Fact]
    public void NoNodeGroupAtAll_Null()
    {
        Assert.Null(LaunchNodegroup.Choose("us-east-1a", [], [new(null, "us-east-1a")], []));
    }
}
