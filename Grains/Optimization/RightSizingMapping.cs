using System.Globalization;
using SpotOptimizer.Grains.Interfaces.Clusters;
using SpotOptimizer.Grains.Interfaces.Market;
using SpotOptimizer.Grains.Interfaces.Optimization;
using SpotOptimizer.Optimization.RightSizing;

namespace SpotOptimizer.Grains.Optimization;

/// <summary>Between the agent's inventory and the market's quotes (contracts) and right-sizing's own records.</summary>
public static class RightSizingMapping
{
    /// <summary>Each listed workload with its own pods (matched by namespace and owner name) and its usage.</summary>
    public static IReadOnlyList<WorkloadSizing> Workloads(AgentInventory inventory)
    {
        var pods = inventory.Pods.ToLookup(p => (p.Namespace, p.Workload));
        return [.. inventory.Workloads.Select(w => new WorkloadSizing(
            w.Namespace, w.Name, w.Kind, w.Replicas,
            [.. pods[(w.Namespace, w.Name)].Select(p => new PodResources(p.CpuRequestMillicores, p.MemoryRequestMiB, p.CpuLimitMillicores, p.MemoryLimitMiB))],
            w.Usage is { } u ? new UsagePercentiles(u.WindowDays, u.CpuP50Millicores, u.CpuP95Millicores, u.CpuP99Millicores, u.MemoryP50MiB, u.MemoryP95MiB, u.MemoryP99MiB) : null))];
    }

    /// <summary>
    /// Each node at what it really costs: its pool's Spot price for a spot node, the On-Demand list otherwise.
    /// A node the market has no price for is left out (and counted), not guessed.
    /// </summary>
    public static (IReadOnlyList<PricedNode> Priced, int Unpriced) PriceNodes(IReadOnlyList<InventoryNode> nodes, MarketQuotes? quotes)
    {
        if (quotes is null) return ([], nodes.Count);
        var spot = quotes.Pools.ToDictionary(p => (p.AvailabilityZone, p.InstanceType));
        var onDemand = quotes.OnDemand.ToDictionary(o => o.InstanceType, o => o.PricePerHour, StringComparer.Ordinal);
        var priced = new List<PricedNode>();
        foreach (var node in nodes)
        {
            var price = node.CapacityType == "spot"
                ? spot.GetValueOrDefault((node.AvailabilityZone, node.InstanceType))?.SpotPrice
                : onDemand.TryGetValue(node.InstanceType, out var listed) ? listed : null;
            if (price is > 0) priced.Add(new PricedNode(price.Value, node.Allocatable.CpuMillicores, node.Allocatable.MemoryMiB));
        }

        return (priced, nodes.Count - priced.Count);
    }

    public static RightSizingView NoInventory(string clusterId, int version, SizingPolicy policy) =>
        new(clusterId, version, RightSizingStatus.NoInventory, policy.WindowDays, policy.Margin,
            "The cluster's agent has not reported its workloads and usage yet: nothing to size.", null, [], 0, 0, 0, []);

    public static RightSizingView ToView(
        string clusterId, InventoryView inventory, SizingPolicy policy, SizingReport report, ResourcePrices? prices, int pricedNodes, int unpricedNodes)
    {
        var usage = inventory.Inventory!.Workloads.Where(w => w.Usage is not null)
            .GroupBy(w => (w.Namespace, w.Name)).ToDictionary(g => g.Key, g => g.First().Usage!);
        return new(clusterId, inventory.Version, prices is null ? RightSizingStatus.NoPrices : RightSizingStatus.Ok, policy.WindowDays, policy.Margin,
            Basis(policy, prices, pricedNodes, unpricedNodes),
            prices is null ? null : new UnitPrices(Math.Round(prices.PerVCpuHour, 6), Math.Round(prices.PerGiBHour, 6)),
            [.. report.Items.Select(r => ToRecommendation(r, usage[(r.Namespace, r.Workload)]))], report.TotalMonthlySaving, report.MonthlySavingFromDecreases, report.MonthlyCostOfIncreases,
            [.. report.Skipped.Select(s => new SkippedWorkload(s.Namespace, s.Workload, s.Code))]);
    }

    private static WorkloadRecommendation ToRecommendation(SizingRecommendation r, WorkloadUsage usage) =>
        new(r.Namespace, r.Workload, r.Kind, r.Replicas, r.Code, r.Risk, r.Confidence, ToSpec(r.Current), ToSpec(r.Recommended), usage, r.PodSpecsDiffer, r.MonthlySaving);

    private static PodResourceSpec ToSpec(PodResources r) => new(r.CpuRequestMillicores, r.MemoryRequestMiB, r.CpuLimitMillicores, r.MemoryLimitMiB);

    private static string Basis(SizingPolicy policy, ResourcePrices? prices, int pricedNodes, int unpricedNodes)
    {
        var c = CultureInfo.InvariantCulture;
        var rules = string.Format(c,
            "Per-pod requests from each workload's CPU p95 and memory p99 over up to {0} days plus a {1:0.#} % margin (no change under {2:0.#} % or {3} m CPU / {4} MiB; at least {5} days of usage needed), " +
            "compared with the resources most of its pods run with. ",
            policy.WindowDays, policy.Margin * 100, policy.Tolerance * 100, policy.MinCpuChangeMillicores, policy.MinMemoryChangeMiB, policy.MinimumDays);
        var left = unpricedNodes > 0 ? string.Format(c, "; {0} node(s) without a market price left out", unpricedNodes) : "";
        var savings = prices is null
            ? "No node of the cluster has a market price, so no saving is given. "
            : string.Format(c,
                "Monthly saving = (current − recommended requests) × replicas × 730 h × ${0:0.######} per vCPU-hour and ${1:0.######} per GiB-hour: " +
                "the hourly prices of the {2} priced node(s) (Spot market for spot nodes, On-Demand list otherwise{3}) spread over their allocatable CPU and memory, " +
                "one vCPU costing as much as {4:0.#} GiB (the ratio AWS's On-Demand list implies); an increase shows as a negative saving. ",
                prices.PerVCpuHour, prices.PerGiBHour, pricedNodes, left, ResourcePricing.VCpuInGiB);
        return rules + savings + "Recommendations only: nothing is applied.";
    }
}
