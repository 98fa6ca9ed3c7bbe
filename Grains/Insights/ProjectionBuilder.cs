using SpotOptimizer.Grains.Interfaces.Clusters;
using SpotOptimizer.Grains.Interfaces.Insights;
using SpotOptimizer.Optimization.Commitments;
using SpotOptimizer.Optimization.Market;
using SpotOptimizer.Optimization.Packing;
using SpotOptimizer.Optimization.Savings;
using SpotOptimizer.Optimization.Selection;

namespace SpotOptimizer.Grains.Insights;

/// <summary>The cluster's inventory as <see cref="SavingsProjection"/> takes it, and its answer as the contract shows it.</summary>
public static class ProjectionBuilder
{
    /// <summary>
    /// MOD-SIZE-01 (<c>Optimization/RightSizing</c>) is not on this branch: pods keep their requests. Its recommendations
    /// plug in here as the factor (or, better, per-workload requests) once it lands.
    /// </summary>
    public const double RightSizingFactor = 1;

    public static ProjectionView Build(
        ClusterFleet fleet, MarketSnapshot market, IReadOnlyList<OnDemandUsage> organizationUsage, IReadOnlyList<Commitment> commitments, ClusterPolicy policy,
        int minOnDemandNodes, DateTimeOffset now, int computations)
    {
        var inventory = fleet.Inventory;
        var byId = inventory?.Nodes.ToDictionary(n => n.InstanceId, StringComparer.Ordinal);
        var nodes = fleet.Nodes.Select(n => byId?.GetValueOrDefault(n.InstanceId) is { } reported
            ? new ProjectedNode(n, reported.Name, reported.DoNotDisrupt)
            : new ProjectedNode(n, n.InstanceId, false)).ToList();
        var pods = inventory?.Pods.Select(p => new ProjectedPod(new PodSpec(p.Name, p.Namespace, p.Workload, p.CpuRequestMillicores, p.MemoryRequestMiB, p.Priority,
            Requirements(p), p.DoNotDisrupt), p.Node)).ToList() ?? [];
        var workloads = inventory?.Workloads.Select(w => new WorkloadRules(w.Namespace, w.Name, w.OneReplicaPerNode, w.ZoneMaxSkew,
            w.PdbMinAvailable is null && w.PdbMaxUnavailable is null ? null : new DisruptionBudget(w.PdbMinAvailable, w.PdbMaxUnavailable))).ToList() ?? [];
        var overhead = inventory?.DaemonSetOverhead is { } d ? new Resources(d.CpuMillicores, d.MemoryMiB, d.Pods) : default;

        var projection = SavingsProjection.Project(new ProjectionRequest(nodes, pods, workloads, overhead, organizationUsage, commitments, market,
            minOnDemandNodes, policy.BinpackAggressiveness, RightSizingFactor, now));
        var plan = projection.Plan;
        var source = fleet.Source == OrganizationFleet.AgentInventory ? "the agent's latest inventory" : "discovery's last scan (no agent inventory: no pods, so no packing)";
        return new ProjectionView(fleet.ClusterId, now,
            [.. projection.Months.Select(m => new MonthAmount(m.MonthStart, m.Unoptimized))],
            [.. projection.Months.Select(m => new MonthAmount(m.MonthStart, m.Optimized))],
            new ProjectionPlan(plan.NodesBefore, plan.NodesAfter, plan.KeptCovered, plan.KeptOnDemandBase, plan.KeptDoNotDisrupt, plan.SpotReplacements,
                plan.PodsPacked, plan.PackedNodes, RightSizingFactor, [.. plan.Notes, .. projection.Assumptions]),
            $"Simulated on {fleet.Nodes.Count} node(s) of {source} at the {market.Region} market of {market.At:u}: unoptimized = the nodes as they are; " +
            "optimized = Spot replacement of the On-Demand nodes no commitment pays for beyond the stable base, bin-packing of the moved nodes' pods " +
            "(MOD-PACK-01 FreshPacker) when cheaper, no right-sizing yet. Each month = Σ hourly price × 730, split where a commitment starts or ends.",
            computations);
    }

    private static NodeRequirements? Requirements(InventoryPod pod)
    {
        PurchaseOption? capacity = pod.CapacityTypeAffinity switch { "spot" => PurchaseOption.Spot, "on_demand" => PurchaseOption.OnDemand, _ => null };
        return pod.ZoneAffinity is null && capacity is null ? null : new NodeRequirements(pod.ZoneAffinity, capacity);
    }
}
