using SpotOptimizer.Optimization.Packing;
using static SpotOptimizer.Optimization.Tests.Packing.ClusterFixture;

namespace SpotOptimizer.Optimization.Tests.Packing;

/// <summary>
/// A cluster packed at a 40 % ceiling, consolidated at 80 %: applying the plan's moves must leave every constraint
/// true, the removed nodes empty, and only savings.
/// </summary>
public sealed class ConsolidatorInvariantTests
{
    private static readonly Resources DaemonSets = new(450, 600, 5);

    [Theory]
    [InlineData(21)]
    [InlineData(22)]
    public void Plan_LooseClusterFromTheGenerator_MovesKeepEveryConstraint(int seed)
    {
        var offers = Offers("m5.xlarge", "m5.2xlarge");
        var mix = SyntheticWorkloads.Generate(250, seed);
        var loose = FreshPacker.Pack(new FreshPackingRequest(mix.Pods, mix.Rules, offers, NodeTemplate.Any, new PackingPolicy(40), DaemonSets, seed));
        // Batch jobs and the largest caches do not fit under 40 % of these types: the cluster runs without them.
        Assert.True(loose.Nodes.Count > 10);
        var nodes = loose.Nodes.Select(n => new ExistingNode(n.Name, n.Offer.Type.Name, n.Offer.Labels, n.Offer.HourlyPrice, n.Offer.Allocatable, n.Pods, LaunchedByUs: true)).ToList();
        var policy = new PackingPolicy(80);

        var plan = Consolidator.Plan(new ConsolidationRequest(nodes, mix.Rules, offers, NodeTemplate.Any, policy, DaemonSets));

        Assert.NotEmpty(plan.Actions);
        Assert.All(plan.Actions, a => Assert.True(a.HourlySaving > 0));
        var nodeOf = nodes.SelectMany(n => n.Pods.Select(p => (p.Name, n.Name))).ToDictionary(x => x.Item1, x => x.Item2);
        var usable = nodes.ToDictionary(n => n.Name, n => policy.Usable(n.Allocatable, DaemonSets));
        var zoneOf = nodes.ToDictionary(n => n.Name, n => n.Labels.Zone);
        foreach (var action in plan.Actions)
        {
            if (action.Replacement is { } offer)
            {
                usable[action.ReplacementNode!] = policy.Usable(offer.Allocatable, DaemonSets);
                zoneOf[action.ReplacementNode!] = offer.Zone;
            }

            foreach (var move in action.Moves)
            {
                Assert.Equal(move.FromNode, nodeOf[move.Pod]);
                Assert.DoesNotContain(move.ToNode, action.RemovedNodes);
                nodeOf[move.Pod] = move.ToNode;
            }

            Assert.All(action.RemovedNodes, removed => Assert.DoesNotContain(removed, nodeOf.Values));
        }

        var pods = mix.Pods.ToDictionary(p => p.Name);
        var rules = mix.Rules.ToDictionary(r => r.Workload);
        var received = plan.Actions.SelectMany(a => a.Moves).Select(m => m.ToNode).ToHashSet();
        foreach (var group in nodeOf.GroupBy(x => x.Value, x => pods[x.Key]))
        {
            if (received.Contains(group.Key))
            {
                Assert.True(group.Sum(p => p.CpuMillicores) <= usable[group.Key].CpuMillicores, $"{group.Key} CPU over the ceiling");
                Assert.True(group.Sum(p => p.MemoryMiB) <= usable[group.Key].MemoryMiB, $"{group.Key} memory over the ceiling");
            }

            Assert.All(group.GroupBy(p => p.Workload).Where(w => rules[w.Key].OneReplicaPerNode), w => Assert.Single(w));
        }

        foreach (var rule in mix.Rules.Where(r => r.ZoneMaxSkew is not null))
        {
            var perZone = Zones.Select(z => nodeOf.Count(x => pods[x.Key].Workload == rule.Workload && zoneOf[x.Value] == z)).ToList();
            Assert.True(perZone.Max() - perZone.Min() <= rule.ZoneMaxSkew, $"{rule.Workload} spread {string.Join('/', perZone)}");
        }

        Assert.All(plan.Actions.SelectMany(a => a.Steps).Where(s => s.Kind == StepKind.Drain), step =>
            Assert.All(step.Evictions.GroupBy(e => e.Workload), w => Assert.True(w.Count() <= (rules[w.Key].Budget?.MaxUnavailable ?? int.MaxValue))));
    }
}
