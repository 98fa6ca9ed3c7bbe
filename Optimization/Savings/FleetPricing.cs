using SpotOptimizer.Optimization.Commitments;
using SpotOptimizer.Optimization.Market;
using SpotOptimizer.Optimization.Selection;

namespace SpotOptimizer.Optimization.Savings;

/// <summary>Where a node's hourly price came from.</summary>
public enum PriceSource
{
    /// <summary>The current Spot price of the node's pool (zone, type).</summary>
    SpotMarket = 1,

    /// <summary>The type's On-Demand list price.</summary>
    OnDemandList = 2,

    /// <summary>A Reserved Instance's or Savings Plan's rate for the covered share, On-Demand for the rest.</summary>
    Commitment = 3,

    /// <summary>Neither the pool nor the type is in the market: left out of every sum and counted.</summary>
    Unpriced = 4,
}

/// <summary>A running node of a cluster, from the agent's inventory or from discovery.</summary>
public sealed record FleetNode(string ClusterId, string InstanceId, string InstanceType, string Zone, PurchaseOption Purchase)
{
    public string Family => InstanceTypeInfo.FamilyOf(InstanceType);
}

/// <param name="OnDemandPricePerHour">What the same node costs On-Demand (0 when unpriced).</param>
public sealed record PricedNode(FleetNode Node, double PricePerHour, double OnDemandPricePerHour, PriceSource Source, double CoveredShare, string? CommitmentId);

/// <summary>Each node at its real price: Spot at its pool's market price, On-Demand at list or at its commitment's effective rate. Pure.</summary>
public static class FleetPricing
{
    public const double HoursPerMonth = 730;

    public static IReadOnlyList<PricedNode> Price(
        IReadOnlyList<FleetNode> nodes, IReadOnlyDictionary<SpotPoolId, double> spotPrices, IReadOnlyDictionary<string, double> onDemandPrices, CoverageResult coverage) =>
    [
        .. nodes.Select(node =>
        {
            var onDemand = onDemandPrices.GetValueOrDefault(node.InstanceType);
            if (node.Purchase == PurchaseOption.Spot)
            {
                return spotPrices.TryGetValue(new SpotPoolId(node.Zone, node.InstanceType), out var spot)
                    ? new PricedNode(node, spot, onDemand, PriceSource.SpotMarket, 0, null)
                    : new PricedNode(node, 0, onDemand, PriceSource.Unpriced, 0, null);
            }

            if (onDemand <= 0) return new PricedNode(node, 0, 0, PriceSource.Unpriced, 0, null);
            return coverage.For(node.InstanceId) is { Covered: true } covered
                ? new PricedNode(node, covered.EffectiveHourlyPrice, onDemand, PriceSource.Commitment, covered.CoveredShare, covered.CommitmentId)
                : new PricedNode(node, onDemand, onDemand, PriceSource.OnDemandList, 0, null);
        }),
    ];

    /// <summary>Σ node hourly price × 730 over priced nodes.</summary>
    public static double MonthlySpend(IEnumerable<PricedNode> nodes) => nodes.Where(n => n.Source != PriceSource.Unpriced).Sum(n => n.PricePerHour) * HoursPerMonth;

    /// <summary>The same priced nodes, every one at its On-Demand list price, × 730.</summary>
    public static double OnDemandEquivalent(IEnumerable<PricedNode> nodes) =>
        nodes.Where(n => n.Source != PriceSource.Unpriced && n.OnDemandPricePerHour > 0).Sum(n => n.OnDemandPricePerHour) * HoursPerMonth;
}
