using SpotOptimizer.Optimization.Selection;
using static System.FormattableString;

namespace SpotOptimizer.Optimization.Packing;

/// <summary>CPU and memory in Kubernetes' units, summed over a cluster (so wider than a node's <see cref="Resources"/>).</summary>
public readonly record struct Capacity(long CpuMillicores, long MemoryMiB)
{
    public bool IsZero => CpuMillicores <= 0 && MemoryMiB <= 0;
}

/// <summary>A node the cluster is running now as the headroom sees it: what kubelet gives pods and what its pods request.</summary>
/// <param name="Schedulable">Not cordoned, no NoSchedule/NoExecute taint, healthy: a pending pod could land on it now.</param>
public sealed record CapacityNode(Resources Allocatable, Capacity Requested, bool Schedulable);

/// <summary>A node that could be launched for spare capacity, with its pool's interruption probability (On-Demand: 0) and the hive mind's flag.</summary>
public sealed record HeadroomOffer(NodeOffer Offer, double InterruptionProbability, bool Flagged = false);

/// <param name="MaxRisk">The policy's highest interruption probability a node may be launched into (CORE-DECIDE's max target risk).</param>
/// <param name="AllowOnDemandFallback">On-Demand only when no Spot pool qualifies and the policy allows it.</param>
public sealed record HeadroomTopUpPolicy(double MaxRisk, bool AllowOnDemandFallback, NodeTemplate Template, Resources DaemonSetOverhead);

/// <summary>What the cluster must launch to keep its headroom: <see cref="Count"/> nodes of <see cref="Offer"/>, or nothing with a code.</summary>
/// <param name="Code">Null when nothing is missing or the launch covers it; otherwise <see cref="HeadroomTopUp.NoSafePool"/> or <see cref="HeadroomTopUp.NoOffer"/>.</param>
public sealed record HeadroomTopUpPlan(Capacity Required, Capacity Spare, Capacity Deficit, NodeOffer? Offer, int Count, double Risk, string? Code, string Detail)
{
    public double HourlyCost => Offer is null ? 0 : Count * Offer.HourlyPrice;
}

/// <summary>
/// Issue 14 item 7, headroom *kept*: when the spare capacity of the schedulable nodes (allocatable − DaemonSets −
/// pods' requests, per node, never below zero) is short of what <see cref="Headroom"/> requires, the fewest-dollar
/// launch that covers the deficit in CPU and memory. Candidates are one type in one pool, n nodes of it (n the larger
/// of the two resources' ceil(deficit / usable)): Spot pools the hive mind has not flagged whose interruption
/// probability is at most the policy's limit, within the template; On-Demand only if none qualifies and the policy
/// falls back. The cheapest total wins, then fewer nodes, lower risk, type and zone (ordinal): "fewest nodes" first
/// would pick the catalog's largest type for a 100m deficit, as prices are nearly linear in size. Pure.
/// </summary>
public static class HeadroomTopUp
{
    /// <summary>No Spot pool is safe enough and the policy does not fall back to On-Demand.</summary>
    public const string NoSafePool = "no_safe_pool";

    /// <summary>No type of the template is on offer at all.</summary>
    public const string NoOffer = "no_offer";

    /// <summary>What the headroom requires of <paramref name="nodes"/> and what they have spare (the DaemonSets' requests taken off every node).</summary>
    public static (Capacity Required, Capacity Spare) Measure(IReadOnlyList<CapacityNode> nodes, Headroom headroom, Resources daemonSets)
    {
        var (cpu, memory) = headroom.Required(nodes.Sum(n => n.Requested.CpuMillicores), nodes.Sum(n => n.Requested.MemoryMiB));
        long spareCpu = 0, spareMemory = 0;
        foreach (var node in nodes.Where(n => n.Schedulable))
        {
            spareCpu += Math.Max(0, node.Allocatable.CpuMillicores - daemonSets.CpuMillicores - node.Requested.CpuMillicores);
            spareMemory += Math.Max(0, node.Allocatable.MemoryMiB - daemonSets.MemoryMiB - node.Requested.MemoryMiB);
        }

        return (new Capacity(cpu, memory), new Capacity(spareCpu, spareMemory));
    }

    public static HeadroomTopUpPlan Plan(Capacity required, Capacity spare, IReadOnlyList<HeadroomOffer> offers, HeadroomTopUpPolicy policy)
    {
        var deficit = new Capacity(Math.Max(0, required.CpuMillicores - spare.CpuMillicores), Math.Max(0, required.MemoryMiB - spare.MemoryMiB));
        if (deficit.IsZero)
            return new(required, spare, deficit, null, 0, 0, null, Invariant($"{spare.CpuMillicores}m CPU and {spare.MemoryMiB} MiB spare keep the headroom"));

        var fitting = offers.Where(o => policy.Template.Allows(o.Offer.Type) && Usable(o.Offer, policy) is { CpuMillicores: > 0, MemoryMiB: > 0 }).ToList();
        var safe = fitting.Where(o => o.Offer.Capacity == PurchaseOption.Spot && !o.Flagged && o.InterruptionProbability <= policy.MaxRisk).ToList();
        var fellBack = safe.Count == 0 && policy.AllowOnDemandFallback;
        var candidates = fellBack ? fitting.Where(o => o.Offer.Capacity == PurchaseOption.OnDemand).ToList() : safe;
        var shortBy = Invariant($"{deficit.CpuMillicores}m CPU and {deficit.MemoryMiB} MiB short of the headroom");
        if (candidates.Count == 0)
        {
            return fitting.Count == 0 || fellBack
                ? new(required, spare, deficit, null, 0, 0, NoOffer, $"{shortBy}, and no node type of the template is on offer")
                : new(required, spare, deficit, null, 0, 0, NoSafePool,
                    Invariant($"{shortBy}, and no Spot pool of the template is unflagged with an interruption risk of at most {policy.MaxRisk:0.##}; On-Demand fallback is off"));
        }

        var best = candidates.Select(o => (Offer: o, Count: NodesFor(deficit, Usable(o.Offer, policy))))
            .OrderBy(c => c.Count * c.Offer.Offer.HourlyPrice).ThenBy(c => c.Count).ThenBy(c => c.Offer.InterruptionProbability)
            .ThenBy(c => c.Offer.Offer.Type.Name, StringComparer.Ordinal).ThenBy(c => c.Offer.Offer.Zone, StringComparer.Ordinal)
            .First();
        var offer = best.Offer.Offer;
        var what = Invariant($"{best.Count} × {offer.Type.Name} in {offer.Zone}");
        return new(required, spare, deficit, offer, best.Count, best.Offer.InterruptionProbability, null, fellBack
            ? $"{shortBy}: {what} On-Demand, as no Spot pool is safe enough and the policy falls back"
            : Invariant($"{shortBy}: {what} Spot (interruption risk {best.Offer.InterruptionProbability:0.###})"));
    }

    /// <summary>What a new node of the offer gives pods: kubelet's allocatable less the DaemonSets (spare counts the whole node, not the binpack ceiling).</summary>
    private static Resources Usable(NodeOffer offer, HeadroomTopUpPolicy policy) => offer.Allocatable - policy.DaemonSetOverhead;

    private static int NodesFor(Capacity deficit, Resources usable) => (int)Math.Max(
        (deficit.CpuMillicores + usable.CpuMillicores - 1) / usable.CpuMillicores,
        (deficit.MemoryMiB + usable.MemoryMiB - 1) / usable.MemoryMiB);
}
