namespace SpotOptimizer.Optimization.Packing;

/// <summary>
/// Fills one node at a time: it opens with the largest pod left, then keeps adding the pod whose requests point the
/// way the node's gap to its target does (largest dot product, each as a share of a bulk node). The target is the
/// node's fair share of what is left: if the remaining pods need N nodes by their scarcer resource, each node should
/// take 1/N of each resource's demand. Filling to the brim instead (the plain dot product with free capacity) put two
/// memory-heavy caches and two batch jobs on one node: memory full, a quarter of the CPU stranded, and CPU was the
/// cluster's scarce resource. Pods of one workload with equal requests and affinity are one group: a node scans
/// groups, not pods.
/// </summary>
internal static class BinCentricFill
{
    private sealed class Group(int[] pods)
    {
        public int[] Pods { get; } = pods;

        public int Next { get; set; }

        public bool Done => Next >= Pods.Length;

        /// <summary>The node this group's next pod failed on: it fails there until the node is closed (free space only shrinks, counts only grow).</summary>
        public int ExcludedFrom { get; set; } = -1;
    }

    /// <param name="subset">The pods to place (all when null); the others are left as they are.</param>
    public static List<UnplacedPod> Fill(Placement placement, NodeShop shop, IReadOnlySet<int>? subset = null)
    {
        var pods = placement.Pods;
        var bulk = shop.Bulk;
        var groups = FirstFitDecreasing.BySizeDescending(pods, bulk)
            .Where(p => subset is null || subset.Contains(p))
            .GroupBy(p => (pods.Workload[p], pods.Cpu[p], pods.Memory[p], pods.Requirements[p]?.Key))
            .Select(g => new Group([.. g]))
            .ToList();
        var unplaced = new List<UnplacedPod>();
        var opened = 0;
        var cpuUnit = 1.0 / Math.Max(1, bulk.CpuMillicores);
        var memoryUnit = 1.0 / Math.Max(1, bulk.MemoryMiB);
        var cpuLeft = groups.Sum(g => g.Pods.Sum(p => (long)pods.Cpu[p])) * cpuUnit;
        var memoryLeft = groups.Sum(g => g.Pods.Sum(p => (long)pods.Memory[p])) * memoryUnit;
        while (true)
        {
            groups.RemoveAll(g => g.Done);
            if (groups.Count == 0) break;
            var opener = groups[0];
            var pod = opener.Pods[opener.Next++];
            var (slot, misfit) = shop.OpenFor(placement, pod);
            if (slot is null)
            {
                unplaced.Add(new UnplacedPod(pods.Specs[pod], Codes.Of(misfit)));
                continue;
            }

            var nodesLeft = Math.Max(1, Math.Max(cpuLeft, memoryLeft));
            var target = (Cpu: cpuLeft / nodesLeft, Memory: memoryLeft / nodesLeft);
            var added = pod;
            opened++;
            while (true)
            {
                placement.Place(added, slot);
                cpuLeft -= pods.Cpu[added] * cpuUnit;
                memoryLeft -= pods.Memory[added] * memoryUnit;
                if (Best(placement, slot, opened, groups, target, cpuUnit, memoryUnit) is not { } best) break;
                added = best.Pods[best.Next++];
            }
        }

        return unplaced;
    }

    private static Group? Best(Placement placement, Slot slot, int slotNumber, List<Group> groups, (double Cpu, double Memory) target, double cpuUnit, double memoryUnit)
    {
        var pods = placement.Pods;
        var free = slot.Free;
        if (free.Pods < 1) return null;
        var gapCpu = target.Cpu - (slot.Used.CpuMillicores * cpuUnit);
        var gapMemory = target.Memory - (slot.Used.MemoryMiB * memoryUnit);
        Group? best = null;
        var bestScore = double.NegativeInfinity;
        foreach (var group in groups)
        {
            if (group.Done || group.ExcludedFrom == slotNumber) continue;
            var pod = group.Pods[group.Next];
            if (pods.Cpu[pod] > free.CpuMillicores || pods.Memory[pod] > free.MemoryMiB)
            {
                group.ExcludedFrom = slotNumber;
                continue;
            }

            var score = (pods.Cpu[pod] * cpuUnit * gapCpu) + (pods.Memory[pod] * memoryUnit * gapMemory);
            if (score <= bestScore) continue;
            if (placement.Check(pod, slot) != Misfit.None)
            {
                group.ExcludedFrom = slotNumber;
                continue;
            }

            best = group;
            bestScore = score;
        }

        return best;
    }
}
