using SpotOptimizer.Optimization.Cluster;
using SpotOptimizer.Optimization.Market;
using SpotOptimizer.Optimization.Packing;
using SpotOptimizer.Optimization.Selection;

namespace SpotOptimizer.Optimization.Savings;

/// <summary>
/// The optimized fleet for one state of the commitments: nodes a commitment pays for, the On-Demand base
/// (<see cref="ProjectionRequest.MinOnDemandNodes"/>, the cheapest uncovered ones, as CORE-DECIDE moves the dearest
/// first) and nodes pinned by do-not-disrupt stay; the other nodes' pods (and pending pods) are packed afresh with
/// <see cref="FreshPacker"/> onto Spot or On-Demand offers of the cluster's zones. The packed fleet is kept when it holds
/// every pod and costs less than replacing each movable On-Demand node by its type's cheapest Spot pool, as
/// consolidation refuses what is not cheaper. Pure.
/// </summary>
internal static class ProjectionSimulation
{
    /// <summary>The kept nodes and what the moved part of the fleet costs per hour once optimized.</summary>
    public sealed record Result(IReadOnlySet<string> Kept, double MovedHourlyCost, SimulationOutcome Outcome);

    public static Result Run(ProjectionRequest request, IReadOnlySet<string> covered, Func<FleetNode, double> currentPrice)
    {
        var nodes = request.Nodes;
        var onDemand = request.Market.OnDemand.ToDictionary(o => o.Type.Name, o => o.PricePerHour, StringComparer.Ordinal);
        var pinnedByPods = request.Pods.Where(p => p.Spec.DoNotDisrupt && p.NodeName is not null).Select(p => p.NodeName!).ToHashSet(StringComparer.Ordinal);
        var doNotDisrupt = nodes.Where(n => n.DoNotDisrupt || pinnedByPods.Contains(n.Name)).Select(n => n.Node.InstanceId).ToHashSet(StringComparer.Ordinal);
        var coveredHere = nodes.Where(n => n.Node.Purchase == PurchaseOption.OnDemand && covered.Contains(n.Node.InstanceId)).Select(n => n.Node.InstanceId).ToList();
        var uncovered = nodes.Where(n => n.Node.Purchase == PurchaseOption.OnDemand && !covered.Contains(n.Node.InstanceId) && !doNotDisrupt.Contains(n.Node.InstanceId))
            .OrderBy(n => onDemand.GetValueOrDefault(n.Node.InstanceType)).ThenBy(n => n.Node.InstanceId, StringComparer.Ordinal).ToList();
        var baseCount = Math.Min(uncovered.Count, Math.Max(0, request.MinOnDemandNodes - coveredHere.Count));
        var kept = new HashSet<string>([.. doNotDisrupt, .. coveredHere, .. uncovered.Take(baseCount).Select(n => n.Node.InstanceId)], StringComparer.Ordinal);
        var movable = nodes.Where(n => !kept.Contains(n.Node.InstanceId)).ToList();
        var movedOnDemand = movable.Count(n => n.Node.Purchase == PurchaseOption.OnDemand);

        var replaced = movable.Sum(n => ReplacementPrice(request.Market, n.Node, currentPrice(n.Node)));
        var notes = new List<string>();
        var keptNames = nodes.Where(n => kept.Contains(n.Node.InstanceId)).Select(n => n.Name).ToHashSet(StringComparer.Ordinal);
        var toPack = request.Pods.Where(p => p.NodeName is null || !keptNames.Contains(p.NodeName)).Select(p => p.Spec).ToList();
        if (toPack.Count == 0 || movable.Count == 0)
        {
            notes.Add(request.Pods.Count == 0 ? "no pods reported (no agent inventory): Spot replacement only" : "nothing to pack: Spot replacement only");
            return new Result(kept, replaced, Outcome(nodes.Count, kept.Count + movable.Count, movedOnDemand, 0, 0, false, notes));
        }

        var packing = FreshPacker.Pack(new FreshPackingRequest(toPack, request.Workloads, Offers(request, nodes), NodeTemplate.Any,
            new PackingPolicy(Math.Clamp(request.BinpackAggressiveness, PackingPolicy.MinAggressiveness, PackingPolicy.MaxAggressiveness), request.Headroom),
            request.DaemonSetOverhead, request.Seed));
        if (packing.Unplaced.Count > 0)
        {
            notes.Add($"{packing.Unplaced.Count} pod(s) found no place in the packing ({packing.Unplaced[0].Code}): Spot replacement only");
            return new Result(kept, replaced, Outcome(nodes.Count, kept.Count + movable.Count, movedOnDemand, toPack.Count, 0, false, notes));
        }

        if (packing.HourlyCost >= replaced)
        {
            notes.Add($"packing {toPack.Count} pod(s) onto {packing.Nodes.Count} node(s) costs {packing.HourlyCost:0.####} $/h, not less than Spot replacement alone ({replaced:0.####} $/h)");
            return new Result(kept, replaced, Outcome(nodes.Count, kept.Count + movable.Count, movedOnDemand, toPack.Count, 0, false, notes));
        }

        notes.Add($"{toPack.Count} pod(s) of {movable.Count} movable node(s) packed onto {packing.Nodes.Count} new node(s) ({packing.Nodes.Count(n => n.Offer.Capacity == PurchaseOption.Spot)} Spot)");
        return new Result(kept, packing.HourlyCost, Outcome(nodes.Count, kept.Count + packing.Nodes.Count, movedOnDemand, toPack.Count, packing.Nodes.Count, true, notes));

        SimulationOutcome Outcome(int before, int after, int replacements, int pods, int packedNodes, bool packed, List<string> said) =>
            new(before, after, coveredHere.Count, baseCount, doNotDisrupt.Count, replacements, pods, packedNodes, packed, said);
    }

    /// <summary>A movable node without packing: On-Demand moves to its type's cheapest Spot pool when there is one; Spot stays.</summary>
    private static double ReplacementPrice(MarketSnapshot market, FleetNode node, double current)
    {
        if (node.Purchase == PurchaseOption.Spot) return current;
        var spot = market.Pools.Where(p => p.Pool.InstanceType == node.InstanceType).Select(p => p.SpotPrice).DefaultIfEmpty(double.MaxValue).Min();
        return Math.Min(current, spot);
    }

    /// <summary>Spot and On-Demand offers of the general, compute and memory families in the cluster's zones, for its architectures.</summary>
    private static List<NodeOffer> Offers(ProjectionRequest request, IReadOnlyList<ProjectedNode> nodes)
    {
        var zones = nodes.Select(n => n.Node.Zone).ToHashSet(StringComparer.Ordinal);
        var types = request.Market.OnDemand.Select(o => o.Type).Concat(request.Market.Pools.Select(p => p.Type)).DistinctBy(t => t.Name).ToDictionary(t => t.Name, StringComparer.Ordinal);
        var architectures = nodes.Select(n => types.GetValueOrDefault(n.Node.InstanceType)?.Architecture).OfType<CpuArchitecture>().ToHashSet();
        bool Allowed(InstanceTypeInfo t) => OptimizationSettings.DefaultCategories.Contains(t.Category) && (architectures.Count == 0 || architectures.Contains(t.Architecture));
        var offers = request.Market.Pools.Where(p => zones.Contains(p.Pool.AvailabilityZone) && Allowed(p.Type))
            .Select(p => new NodeOffer(p.Type, p.Pool.AvailabilityZone, PurchaseOption.Spot, p.SpotPrice)).ToList();
        offers.AddRange(from o in request.Market.OnDemand where Allowed(o.Type) from zone in zones.Order(StringComparer.Ordinal) select new NodeOffer(o.Type, zone, PurchaseOption.OnDemand, o.PricePerHour));
        return offers;
    }
}
