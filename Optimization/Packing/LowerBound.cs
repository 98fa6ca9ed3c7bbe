namespace SpotOptimizer.Optimization.Packing;

/// <summary>Bounds no packing can beat: what the benchmark and the docs measure the packer against.</summary>
public static class LowerBound
{
    /// <summary>⌈Σ requests ÷ one node's usable capacity⌉, the largest over CPU, memory and pod slots.</summary>
    public static int Nodes(IReadOnlyList<PodSpec> pods, Resources usable) =>
        (int)Math.Ceiling(FractionalNodes(pods.Sum(p => (long)p.CpuMillicores), pods.Sum(p => (long)p.MemoryMiB), pods.Count, usable) - 1e-9);

    internal static double FractionalNodes(long cpu, long memory, int pods, Resources usable) =>
        Math.Max(Math.Max((double)cpu / Math.Max(1, usable.CpuMillicores), (double)memory / Math.Max(1, usable.MemoryMiB)), (double)pods / Math.Max(1, usable.Pods));

    /// <summary>
    /// The cheapest fleet if capacity could be bought in fractions of nodes (the LP relaxation: cover Σ CPU and Σ
    /// memory at least cost). Its optimum uses at most two types, so every single type and every pair is tried.
    /// Pod slots are left out: they rarely bind, and leaving a constraint out keeps it a lower bound.
    /// </summary>
    public static double HourlyCost(IReadOnlyList<PodSpec> pods, IReadOnlyList<NodeOffer> offers, PackingPolicy policy, Resources daemonSets) =>
        CheapestMix(pods.Sum(p => (long)p.CpuMillicores), pods.Sum(p => (long)p.MemoryMiB), offers, policy, daemonSets).Cost;

    /// <summary>The relaxation's optimum: its cost and the (at most two) offers with their fractional node counts.</summary>
    internal static (double Cost, NodeOffer? A, double X, NodeOffer? B, double Y) CheapestMix(double cpu, double memory, IReadOnlyList<NodeOffer> offers, PackingPolicy policy, Resources daemonSets)
    {
        var types = offers
            .Select(o => (Offer: o, Usable: policy.Usable(o.Allocatable, daemonSets)))
            .Where(t => t.Usable.CpuMillicores > 0 && t.Usable.MemoryMiB > 0)
            .ToList();
        (double Cost, NodeOffer? A, double X, NodeOffer? B, double Y) best = (double.PositiveInfinity, null, 0, null, 0);
        foreach (var a in types)
        {
            var alone = Math.Max(cpu / a.Usable.CpuMillicores, memory / a.Usable.MemoryMiB);
            if (alone * a.Offer.HourlyPrice < best.Cost) best = (alone * a.Offer.HourlyPrice, a.Offer, alone, null, 0);
            foreach (var b in types)
            {
                // Both constraints tight: x·a + y·b = (cpu, memory), by Cramer's rule.
                var det = ((double)a.Usable.CpuMillicores * b.Usable.MemoryMiB) - ((double)b.Usable.CpuMillicores * a.Usable.MemoryMiB);
                if (Math.Abs(det) < 1e-9) continue;
                var x = ((cpu * b.Usable.MemoryMiB) - (memory * b.Usable.CpuMillicores)) / det;
                var y = ((a.Usable.CpuMillicores * memory) - (a.Usable.MemoryMiB * cpu)) / det;
                var cost = (x * a.Offer.HourlyPrice) + (y * b.Offer.HourlyPrice);
                if (x >= 0 && y >= 0 && cost < best.Cost) best = (cost, a.Offer, x, b.Offer, y);
            }
        }

        return best;
    }
}
