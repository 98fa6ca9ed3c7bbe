namespace SpotOptimizer.Optimization.RightSizing;

/// <summary>A node's hourly price (what it really costs: Spot market or On-Demand list) and what pods can request on it.</summary>
public sealed record PricedNode(double HourlyPrice, int AllocatableCpuMillicores, int AllocatableMemoryMiB);

/// <summary>
/// Splits node prices into a price per vCPU-hour and per GiB-hour, so a request change can be priced.
/// AWS sells no vCPU or GiB alone; the split follows the ratio its own On-Demand list implies: c5, m5 and r5 have
/// the same vCPUs with 2, 4 and 8 GiB each (us-east-1 large: $0.085, $0.096, $0.126), and a least-squares fit of
/// price = a·vCPU + b·GiB over them gives a ≈ $0.0350 and b ≈ $0.00346, so one vCPU costs what about 10 GiB cost.
/// The 6th- and 7th-generation and Graviton families give the same ratio (≈ 10), so one constant serves.
/// </summary>
public static class ResourcePricing
{
    /// <summary>How many GiB cost as much as one vCPU.</summary>
    public const double VCpuInGiB = 10;

    /// <summary>
    /// The fleet's prices per vCPU-hour and GiB-hour: every node's price spread over its allocatable capacity (what
    /// requests are scheduled against) in that ratio, so Σ allocatable × unit prices gives back exactly Σ node prices.
    /// Null when no node has a price and capacity.
    /// </summary>
    public static ResourcePrices? Split(IEnumerable<PricedNode> nodes, double vcpuInGiB = VCpuInGiB)
    {
        double price = 0, gibEquivalents = 0;
        foreach (var node in nodes.Where(n => n.HourlyPrice > 0))
        {
            var units = (node.AllocatableCpuMillicores / 1000.0 * vcpuInGiB) + (node.AllocatableMemoryMiB / 1024.0);
            if (units <= 0) continue;
            price += node.HourlyPrice;
            gibEquivalents += units;
        }

        if (gibEquivalents <= 0) return null;
        var perGiB = price / gibEquivalents;
        return new ResourcePrices(perGiB * vcpuInGiB, perGiB);
    }
}
