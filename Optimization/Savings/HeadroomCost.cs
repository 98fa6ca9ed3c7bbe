using SpotOptimizer.Optimization.Packing;
using SpotOptimizer.Optimization.RightSizing;

namespace SpotOptimizer.Optimization.Savings;

/// <param name="CpuMillicores">The spare CPU the headroom requires.</param>
/// <param name="MonthlyCost">$ per month: what that spare capacity costs at the cluster's unit prices.</param>
public sealed record HeadroomCostResult(long CpuMillicores, long MemoryMiB, double MonthlyCost);

/// <summary>
/// What a cluster's headroom costs: the spare capacity packing and consolidation keep free — per resource the larger
/// of the absolute amount and the share of all pods' requests, the rule <see cref="Headroom"/> applies when packing —
/// priced at the cluster's price per vCPU-hour and GiB-hour (<see cref="ResourcePricing.Split"/>) × 730 h. Spare
/// capacity is paid for whether or not a pod uses it, so this is what the customer's insurance costs each month. Pure.
/// </summary>
public static class HeadroomCost
{
    public static HeadroomCostResult Monthly(Headroom headroom, long requestedCpuMillicores, long requestedMemoryMiB, ResourcePrices prices)
    {
        var (cpu, memory) = headroom.Required(requestedCpuMillicores, requestedMemoryMiB);
        var hourly = (cpu / 1000.0 * prices.PerVCpuHour) + (memory / 1024.0 * prices.PerGiBHour);
        return new HeadroomCostResult(cpu, memory, hourly * FleetPricing.HoursPerMonth);
    }
}
