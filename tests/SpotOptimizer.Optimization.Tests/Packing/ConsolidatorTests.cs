using SpotOptimizer.Optimization.Packing;
using static SpotOptimizer.Optimization.Tests.Packing.ClusterFixture;

namespace SpotOptimizer.Optimization.Tests.Packing;

/// <summary>MOD-PACK-01's migration plan on hand-made clusters (m5.xlarge = 4 vCPU / 16 GiB; at 80 % a node takes 3,200m).</summary>
public sealed class ConsolidatorTests
{
    [Fact]
    public void Plan_EmptyNodes_AreDeletedFirst()
    {
        var plan = Plan([Node("busy-1", ZoneA, pods: [Pod("web", 0)]), Node("empty-1", ZoneA), Node("busy-2", ZoneA, pods: [Pod("web", 1)]), Node("empty-2", ZoneB)]);

        Assert.Equal([ConsolidationKind.DeleteEmpty, ConsolidationKind.DeleteEmpty], plan.Actions.Take(2).Select(a => a.Kind));
        Assert.Equal(["empty-1", "empty-2"], plan.Actions.Take(2).SelectMany(a => a.RemovedNodes).Order());
        Assert.All(plan.Actions.Take(2), a => Assert.Empty(a.Moves));
        Assert.Equal([StepKind.Cordon, StepKind.Terminate], plan.Actions[0].Steps.Select(s => s.Kind));
        var consolidation = Assert.Single(plan.Actions.Skip(2));
        Assert.Equal(ConsolidationKind.SingleNode, consolidation.Kind);
        Assert.Equal(0.192 * 3, plan.HourlySaving, 6);
        Assert.Equal(0.192 * 3 * 730, plan.MonthlySaving, 6);
    }

    [Fact]
    public void Plan_DoNotDisruptPod_PinsItsNode()
    {
        var plan = Plan([Node("pinned", ZoneA, pods: [Pod("job", 0, doNotDisrupt: true)]), Node("other", ZoneA, pods: [Pod("web", 0)])]);

        var action = Assert.Single(plan.Actions);
        Assert.Equal(["other"], action.RemovedNodes);
        Assert.Equal("pinned", Assert.Single(action.Moves).ToNode);
        var skipped = Assert.Single(plan.Skipped);
        Assert.Equal(("pinned", PackingReasons.DoNotDisrupt), (skipped.Node, skipped.Code));
    }

    [Fact]
    public void Plan_PinnedNode_StaysEvenEmpty_AndStillTakesPods()
    {
        var pin = new NodePin(PackingReasons.DoNotDisrupt, "node annotated");
        var plan = Plan([Node("pinned-empty", ZoneA) with { Pin = pin }, Node("other", ZoneA, pods: [Pod("web", 0)])]);

        var action = Assert.Single(plan.Actions);
        Assert.Equal((ConsolidationKind.SingleNode, "other"), (action.Kind, Assert.Single(action.RemovedNodes)));
        Assert.Equal("pinned-empty", Assert.Single(action.Moves).ToNode);
        Assert.Equal([new SkippedOpportunity("pinned-empty", PackingReasons.DoNotDisrupt, "node annotated")], plan.Skipped);
    }

    [Fact]
    public void Plan_PdbMaxUnavailableOne_EvictsOneReplicaPerDrainStep()
    {
        var rules = new[] { new WorkloadRules("default", "api", Budget: new DisruptionBudget(MaxUnavailable: 1)) };
        var plan = Plan([Node("small", ZoneA, pods: [Pod("api", 0), Pod("api", 1)]), Node("big", ZoneA, pods: [Pod("db", 0), Pod("db", 1), Pod("db", 2)])], rules);

        var action = Assert.Single(plan.Actions);
        Assert.Equal(["small"], action.RemovedNodes);
        var drains = action.Steps.Where(s => s.Kind == StepKind.Drain).ToList();
        Assert.Equal(2, drains.Count);
        Assert.All(drains, d => Assert.Single(d.Evictions));
        Assert.Equal([StepKind.Cordon, StepKind.Drain, StepKind.Drain, StepKind.Terminate], action.Steps.Select(s => s.Kind));
    }

    [Fact]
    public void Plan_PdbAllowingNoEviction_BlocksTheNode()
    {
        var rules = new[] { new WorkloadRules("default", "api", Budget: new DisruptionBudget(MinAvailable: 2)) };
        var plan = Plan([Node("small", ZoneA, pods: [Pod("api", 0), Pod("api", 1)]), Node("big", ZoneA, pods: [Pod("db", 0), Pod("db", 1), Pod("db", 2)])], rules);

        Assert.Contains(plan.Skipped, s => s is { Node: "small", Code: PackingReasons.PdbBlocks });
        Assert.DoesNotContain(plan.Actions, a => a.RemovedNodes.Contains("small"));
    }

    [Fact]
    public void Plan_AntiAffinity_NeverPutsTwoReplicasOnOneNode()
    {
        var rules = new[] { new WorkloadRules("default", "cache", OneReplicaPerNode: true) };
        var plan = Plan([Node("n1", ZoneA, pods: [Pod("cache", 0)]), Node("n2", ZoneA, pods: [Pod("cache", 1)])], rules);

        Assert.Empty(plan.Actions);
        Assert.Equal([("n1", PackingReasons.AntiAffinity), ("n2", PackingReasons.AntiAffinity)], plan.Skipped.Select(s => (s.Node, s.Code)).Order());
    }

    [Fact]
    public void Plan_TopologySpread_KeepsZonesWithinMaxSkew()
    {
        // One replica per zone, maxSkew 1. Moving any replica to another zone makes skew 2: zone a keeps a node and
        // every zone can get new nodes (only dearer m5.2xlarge are offered), so no zone stops being a domain.
        var rules = new[] { new WorkloadRules("default", "spread", ZoneMaxSkew: 1) };
        var plan = Plan([
            Node("a-spread", ZoneA, pods: [Pod("spread", 0)]),
            Node("a-full", ZoneA, pods: [Pod("big", 0, cpu: 3000)]),
            Node("b", ZoneB, pods: [Pod("spread", 1)]),
            Node("c", ZoneC, pods: [Pod("spread", 2)]),
        ], rules, Offers("m5.2xlarge"));

        Assert.Empty(plan.Actions);
        Assert.Equal(
            [("a-full", PackingReasons.NotCheaper), ("a-spread", PackingReasons.TopologySpread), ("b", PackingReasons.TopologySpread), ("c", PackingReasons.TopologySpread)],
            plan.Skipped.Select(s => (s.Node, s.Code)).Order());
    }

    [Fact]
    public void Plan_Aggressiveness_20PercentLeavesNodesThat80PercentConsolidates()
    {
        // Two nodes at 500m each: at 80 % (3,200m) one takes both pods; at 20 % (800m) neither can take a second.
        IReadOnlyList<ExistingNode> nodes = [Node("n1", ZoneA, pods: [Pod("web", 0)]), Node("n2", ZoneA, pods: [Pod("web", 1)])];

        Assert.Single(Plan(nodes, policy: new PackingPolicy(80)).Actions);
        var conservative = Plan(nodes, policy: new PackingPolicy(20));
        Assert.Empty(conservative.Actions);
        Assert.All(conservative.Skipped, s => Assert.Equal(PackingReasons.NoFit, s.Code));
    }

    [Fact]
    public void Plan_Headroom_KeepsSpareCapacity()
    {
        // Merging leaves 3,200 − 2,000 = 1,200m spare; 2,000m of headroom forbids it, 1,000m allows it.
        IReadOnlyList<ExistingNode> nodes = [Node("n1", ZoneA, pods: [Pod("web", 0, cpu: 1000)]), Node("n2", ZoneA, pods: [Pod("web", 1, cpu: 1000)])];

        var kept = Plan(nodes, policy: new PackingPolicy(80, new Headroom(CpuMillicores: 2000)));
        Assert.Empty(kept.Actions);
        Assert.All(kept.Skipped, s => Assert.Equal(PackingReasons.Headroom, s.Code));
        Assert.Single(Plan(nodes, policy: new PackingPolicy(80, new Headroom(CpuMillicores: 1000))).Actions);
        Assert.Empty(Plan(nodes, policy: new PackingPolicy(80, new Headroom(ShareOfRequests: 0.7))).Actions);
    }

    [Fact]
    public void Plan_SavingBelowThreshold_IsSkippedWithBelowMinSaving()
    {
        IReadOnlyList<ExistingNode> nodes = [Node("n1", ZoneA, pods: [Pod("web", 0)]), Node("n2", ZoneA, pods: [Pod("web", 1)])];

        var plan = Plan(nodes, policy: new PackingPolicy(80, MinSaving: new MinimumSaving(PerHour: 0.20)));

        Assert.Empty(plan.Actions);
        Assert.Equal([PackingReasons.BelowMinSaving], plan.Skipped.Select(s => s.Code).Distinct());
        Assert.Single(Plan(nodes, policy: new PackingPolicy(80, MinSaving: new MinimumSaving(PerHour: 0.19))).Actions);
    }

    [Fact]
    public void Plan_UnderusedLargeNode_IsReplacedByTheCheapestTypeThatHoldsItsPods()
    {
        var plan = Plan([Node("big", ZoneB, "m5.2xlarge", [Pod("web", 0), Pod("web", 1)])], offers: Offers());

        var action = Assert.Single(plan.Actions);
        Assert.Equal(ConsolidationKind.SingleNode, action.Kind);
        Assert.Equal(("m5.large", ZoneA), (action.Replacement!.Type.Name, action.Replacement.Zone));
        Assert.Equal(0.384 - 0.096, action.HourlySaving, 6);
        Assert.Equal((0.384 - 0.096) * 730, action.MonthlySaving, 6);
        Assert.Equal([StepKind.Launch, StepKind.Cordon, StepKind.Drain, StepKind.Terminate], action.Steps.Select(s => s.Kind));
        Assert.All(action.Moves, m => Assert.Equal(action.ReplacementNode, m.ToNode));
    }

    [Fact]
    public void Plan_SeveralLightNodes_ConsolidateTogetherOntoOneCheaperNode()
    {
        var plan = Plan([Node("n1", ZoneA, pods: [Pod("web", 0)]), Node("n2", ZoneA, pods: [Pod("web", 1)]), Node("n3", ZoneA, pods: [Pod("web", 2)])], offers: Offers());

        var action = Assert.Single(plan.Actions);
        Assert.Equal(ConsolidationKind.MultiNode, action.Kind);
        Assert.Equal(["n1", "n2", "n3"], action.RemovedNodes.Order());
        Assert.Equal("m5.large", action.Replacement!.Type.Name);
        Assert.Equal(3 * 0.192 - 0.096, action.HourlySaving, 6);
        Assert.Equal(3, action.Moves.Count);
    }
}
