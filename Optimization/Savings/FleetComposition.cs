using SpotOptimizer.Optimization.Selection;

namespace SpotOptimizer.Optimization.Savings;

/// <summary>Node counts: Spot, On-Demand paid at list, and On-Demand a commitment pays for (wholly or in part).</summary>
public sealed record CompositionCounts(int Spot, int OnDemand, int Covered)
{
    public int Total => Spot + OnDemand + Covered;
}

public sealed record CompositionGroup(string Key, CompositionCounts Counts);

public sealed record Composition(CompositionCounts Total, IReadOnlyList<CompositionGroup> ByFamily, IReadOnlyList<CompositionGroup> ByZone);

/// <summary>The fleet's make-up by purchase option, instance family and availability zone. Pure.</summary>
public static class FleetComposition
{
    public static Composition Of(IReadOnlyList<PricedNode> nodes) =>
        new(Count(nodes), Group(nodes, n => n.Node.Family), Group(nodes, n => n.Node.Zone));

    private static IReadOnlyList<CompositionGroup> Group(IReadOnlyList<PricedNode> nodes, Func<PricedNode, string> key) =>
        [.. nodes.GroupBy(key, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => new CompositionGroup(g.Key, Count([.. g])))];

    private static CompositionCounts Count(IReadOnlyList<PricedNode> nodes) => new(
        nodes.Count(n => n.Node.Purchase == PurchaseOption.Spot),
        nodes.Count(n => n.Node.Purchase == PurchaseOption.OnDemand && n.CoveredShare <= 0),
        nodes.Count(n => n.Node.Purchase == PurchaseOption.OnDemand && n.CoveredShare > 0));
}
