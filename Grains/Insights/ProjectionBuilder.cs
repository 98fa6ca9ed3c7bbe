using SpotOptimizer.Grains.Interfaces.Clusters;
using SpotOptimizer.Grains.Interfaces.Insights;
using SpotOptimizer.Grains.Optimization;
using SpotOptimizer.Optimization.Commitments;
using SpotOptimizer.Optimization.Market;
using SpotOptimizer.Optimization.Packing;
using SpotOptimizer.Optimization.RightSizing;
using SpotOptimizer.Optimization.Savings;
using SpotOptimizer.Optimization.Selection;

namespace SpotOptimizer.Grains.Insights;

/// <summary>The cluster's inventory as <see cref="SavingsProjection"/> takes it, and its answer as the contract shows it.</summary>
public static class ProjectionBuilder
{
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
        // The same recommendations GET /api/clusters/{id}/recommendations shows (same policy); prices are not needed here:
        // what right-sizing is worth comes out of the packing, not out of unit prices.
        var sizing = inventory is null ? [] : RightSizer.Recommend(RightSizingMapping.Workloads(inventory), null, SizingPolicy.Default).Items;
        var headroom = policy.Headroom is { } h ? new Headroom(h.CpuMillicores, h.MemoryMiB, h.ShareOfRequests) : null;

        var projection = SavingsProjection.Project(new ProjectionRequest(nodes, pods, workloads, overhead, organizationUsage, commitments, market,
            minOnDemandNodes, policy.BinpackAggressiveness, sizing, now, Headroom: headroom));
        var plan = projection.Plan;
        var source = fleet.Source == OrganizationFleet.AgentInventory ? "the agent's latest inventory" : "discovery's last scan (no agent inventory: no pods, so no packing)";
        return new ProjectionView(fleet.ClusterId, now,
            [.. projection.Months.Select(m => new MonthAmount(m.MonthStart, m.Unoptimized))],
            [.. projection.Months.Select(m => new MonthAmount(m.MonthStart, m.Optimized))],
            new ProjectionPlan(plan.NodesBefore, plan.NodesAfter, plan.KeptCovered, plan.KeptOnDemandBase, plan.KeptDoNotDisrupt, plan.SpotReplacements,
                plan.PodsPacked, plan.PackedNodes, RightSizingView(projection.RightSizing), [.. plan.Notes, .. projection.Assumptions]),
            $"Simulated on {fleet.Nodes.Count} node(s) of {source} at the {market.Region} market of {market.At:u}: unoptimized = the nodes as they are; " +
            "optimized = Spot replacement of the On-Demand nodes no commitment pays for beyond the stable base, bin-packing of the moved nodes' pods " +
            "(MOD-PACK-01 FreshPacker) when cheaper, with every pod of an over- or under-provisioned workload at MOD-SIZE-01's recommended requests " +
            "(increases too: a projection that took only the decreases would promise savings bought with OOM kills and evictions), keeping the " +
            "cluster's headroom. Each month = Σ hourly price × 730, split where a commitment starts or ends.",
            computations);
    }

    private static ProjectionRightSizing RightSizingView(RightSizingOutcome r) => new(
        r.WorkloadsResized, r.WorkloadsDecreased, r.WorkloadsIncreased, r.PodsResized, r.CpuMillicoresSaved, r.MemoryMiBSaved, r.MonthlySaving,
        r.PodsResized == 0
            ? "No workload is over- or under-provisioned by MOD-SIZE-01's rules (or none has 2 days of usage data): pods keep their requests."
            : $"{r.WorkloadsDecreased} over-provisioned and {r.WorkloadsIncreased} under-provisioned workload(s): their {r.PodsResized} pod(s) packed at the " +
              "recommended CPU and memory requests (the recommendations of GET /api/clusters/{id}/recommendations); requests saved are current − " +
              "recommended summed over those pods; monthly_saving = the first month's optimized amount simulated on the requests as reported minus " +
              "with right-sizing (negative when the increases cost more than the decreases save). Pods on kept nodes are resized but not moved.");

    private static NodeRequirements? Requirements(InventoryPod pod)
    {
        PurchaseOption? capacity = pod.CapacityTypeAffinity switch { "spot" => PurchaseOption.Spot, "on_demand" => PurchaseOption.OnDemand, _ => null };
        return pod.ZoneAffinity is null && capacity is null ? null : new NodeRequirements(pod.ZoneAffinity, capacity);
    }
}
