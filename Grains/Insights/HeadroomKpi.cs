using System.Globalization;
using SpotOptimizer.Grains.Interfaces.Insights;
using SpotOptimizer.Grains.Interfaces.Market;
using SpotOptimizer.Grains.Optimization;
using SpotOptimizer.Optimization.Packing;
using SpotOptimizer.Optimization.RightSizing;
using SpotOptimizer.Optimization.Savings;

namespace SpotOptimizer.Grains.Insights;

/// <summary>
/// Issue 14 item 7: what the cluster's headroom costs a month (<see cref="HeadroomCost"/>), at the unit prices
/// right-sizing uses (<see cref="ResourcePricing"/> over the nodes' Spot or On-Demand list prices), so the spare capacity
/// and a request saved are priced alike.
/// </summary>
public static class HeadroomKpi
{
    public const string NoHeadroom = "no headroom configured";

    private const string Unit = "usd_per_month";

    public static KpiFigure Of(ClusterFleet fleet, MarketQuotes? market)
    {
        if (fleet.Policy.Headroom is not { IsNone: false } h) return new KpiFigure(0, Unit, NoHeadroom);
        var c = CultureInfo.InvariantCulture;
        var rule = string.Format(c, "Headroom: per resource the larger of {0} m CPU / {1} MiB and {2:0.###} × all pods' requests", h.CpuMillicores, h.MemoryMiB, h.ShareOfRequests);
        if (fleet.Inventory is not { } inventory)
        {
            return new KpiFigure(0, Unit, rule + "; not priced yet: the agent has not reported the cluster's pods and its nodes' allocatable capacity.");
        }

        var (priced, unpriced) = RightSizingMapping.PriceNodes(inventory.Nodes, market);
        if (ResourcePricing.Split(priced) is not { } prices)
        {
            return new KpiFigure(0, Unit, rule + "; not priced yet: no node of the cluster has a market price.");
        }

        var cpu = inventory.Pods.Sum(p => (long)p.CpuRequestMillicores);
        var memory = inventory.Pods.Sum(p => (long)p.MemoryRequestMiB);
        var cost = HeadroomCost.Monthly(new Headroom(h.CpuMillicores, h.MemoryMiB, h.ShareOfRequests), cpu, memory, prices);
        var left = unpriced > 0 ? string.Format(c, "; {0} node(s) without a market price left out", unpriced) : "";
        return new KpiFigure(Math.Round(cost.MonthlyCost, 6), Unit, string.Format(c,
            "{0} ({1} pod(s) requesting {2} m CPU and {3} MiB): {4} m CPU and {5} MiB kept free, × ${6:0.######} per vCPU-hour and ${7:0.######} per GiB-hour " +
            "(the hourly prices of the {8} priced node(s), Spot market for spot nodes and On-Demand list otherwise{9}, spread over their allocatable CPU " +
            "and memory, one vCPU costing as much as {10:0.#} GiB, as right-sizing prices requests) × 730 h. Spare capacity is paid for whether or not a pod uses it.",
            rule, inventory.Pods.Count, cpu, memory, cost.CpuMillicores, cost.MemoryMiB, prices.PerVCpuHour, prices.PerGiBHour, priced.Count, left,
            ResourcePricing.VCpuInGiB));
    }
}
