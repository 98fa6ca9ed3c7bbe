namespace SpotOptimizer.Optimization.Packing;

/// <summary>
/// Local search after a fill: the least-loaded nodes try, one by one, to hand every pod to the other nodes (best fit,
/// all constraints checked); a node that empties is closed, one that cannot is restored exactly. Greedy fills leave
/// their worst nodes at the end, and these hold few pods, so this closes the tail cheaply. The seed breaks ties
/// between equally loaded nodes; the outcome is a function of the input and the seed.
/// </summary>
internal static class NodeEmptying
{
    /// <summary>Stops after this many nodes in a row failed to empty: the rest are fuller still.</summary>
    private const int FailuresInARow = 12;

    public static void Improve(Placement placement, Resources bulk, int seed)
    {
        var random = new Random(seed);
        var slots = placement.Slots.Where(s => s.Live).ToList();
        var tiebreak = slots.ToDictionary(s => s, _ => random.Next());
        var byLoad = slots.OrderBy(Load).ThenBy(s => tiebreak[s]).ToList();
        var failures = 0;
        foreach (var slot in byLoad)
        {
            if (failures >= FailuresInARow) break;
            if (TryEmpty(placement, slot, bulk))
            {
                placement.Discard(slot);
                failures = 0;
            }
            else
            {
                failures++;
            }
        }
    }

    private static bool TryEmpty(Placement placement, Slot slot, Resources bulk)
    {
        var pods = placement.Pods;
        var moving = slot.Pods.OrderByDescending(p => FirstFitDecreasing.Size(pods.Cpu[p], pods.Memory[p], bulk)).ThenBy(p => p).ToList();
        placement.SetLive(slot, false);
        var moved = new List<int>(moving.Count);
        foreach (var pod in moving)
        {
            placement.Unplace(pod);
            var target = BestFit(placement, pod, bulk);
            if (target is null)
            {
                placement.Place(pod, slot);
                foreach (var back in moved)
                {
                    placement.Unplace(back);
                    placement.Place(back, slot);
                }

                placement.SetLive(slot, true);
                return false;
            }

            placement.Place(pod, target);
            moved.Add(pod);
        }

        return true;
    }

    /// <summary>The live node the pod leaves least room on (the larger of its free shares), so big gaps stay for big pods.</summary>
    internal static Slot? BestFit(Placement placement, int pod, Resources bulk)
    {
        Slot? best = null;
        var bestRoom = double.PositiveInfinity;
        foreach (var candidate in placement.Slots)
        {
            if (!candidate.Live || placement.Check(pod, candidate) != Misfit.None) continue;
            var free = candidate.Free;
            var room = FirstFitDecreasing.Size(free.CpuMillicores - placement.Pods.Cpu[pod], free.MemoryMiB - placement.Pods.Memory[pod], bulk);
            if (room < bestRoom)
            {
                best = candidate;
                bestRoom = room;
            }
        }

        return best;
    }

    private static double Load(Slot slot) =>
        Math.Max((double)slot.Used.CpuMillicores / Math.Max(1, slot.Capacity.CpuMillicores), (double)slot.Used.MemoryMiB / Math.Max(1, slot.Capacity.MemoryMiB));
}
