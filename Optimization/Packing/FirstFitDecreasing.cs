namespace SpotOptimizer.Optimization.Packing;

/// <summary>
/// The textbook baseline: pods by decreasing size (the larger of their CPU and memory shares of a bulk node), each on
/// the first open node that takes it under every constraint, else on a new one. Also one of the packer's starting
/// points, so the packer never uses more nodes than this.
/// </summary>
internal static class FirstFitDecreasing
{
    public static List<UnplacedPod> Fill(Placement placement, NodeShop shop)
    {
        var pods = placement.Pods;
        var unplaced = new List<UnplacedPod>();
        foreach (var pod in BySizeDescending(pods, shop.Bulk))
        {
            var placed = false;
            foreach (var slot in placement.Slots)
            {
                if (placement.Check(pod, slot) != Misfit.None) continue;
                placement.Place(pod, slot);
                placed = true;
                break;
            }

            if (placed) continue;
            var (opened, misfit) = shop.OpenFor(placement, pod);
            if (opened is null) unplaced.Add(new UnplacedPod(pods.Specs[pod], Codes.Of(misfit)));
            else placement.Place(pod, opened);
        }

        return unplaced;
    }

    /// <summary>Largest share of a bulk node first; ties by input order, so the result depends on the input only.</summary>
    public static int[] BySizeDescending(PodTable pods, Resources bulk)
    {
        var order = Enumerable.Range(0, pods.Count).ToArray();
        var size = order.Select(p => Size(pods.Cpu[p], pods.Memory[p], bulk)).ToArray();
        Array.Sort(order, (a, b) => size[b].CompareTo(size[a]) is var c && c != 0 ? c : a.CompareTo(b));
        return order;
    }

    public static double Size(int cpu, int memory, Resources bulk) =>
        Math.Max((double)cpu / Math.Max(1, bulk.CpuMillicores), (double)memory / Math.Max(1, bulk.MemoryMiB));
}

/// <summary>Misfits as the plan's reason codes.</summary>
internal static class Codes
{
    public static string Of(Misfit misfit) => misfit switch
    {
        Misfit.AntiAffinity => PackingReasons.AntiAffinity,
        Misfit.TopologySpread => PackingReasons.TopologySpread,
        _ => PackingReasons.NoFit,
    };
}
