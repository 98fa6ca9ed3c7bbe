using SpotOptimizer.Optimization.Selection;

namespace SpotOptimizer.Optimization.Packing;

/// <summary>What removing some nodes would do: the moves, the replacement, or why it cannot be done.</summary>
internal sealed record RemovalOutcome(string? Code, string Detail, List<(int Pod, Slot From, Slot To)> Moves, Slot? Replacement, double RemovedCost)
{
    public bool Ok => Code is null;

    public double Saving => RemovedCost - (Replacement?.Price ?? 0);
}

/// <summary>
/// Simulates removing nodes on a <see cref="Placement"/>: every pod of a removed node must find a place on the live
/// nodes (best fit, all constraints) or, when allowed, on one new node cheaper than the removed ones; the PDBs must
/// allow its eviction; the saving must clear the threshold and the cluster keep its headroom. A failed attempt leaves
/// the placement exactly as it was; a successful one stays applied unless the caller rolls it back.
/// </summary>
internal sealed class RemovalSimulation(Placement placement, IReadOnlyList<NodeOffer> offersByPrice, PackingPolicy policy, Resources daemonSets)
{
    /// <summary>Sizes are compared against an m5.4xlarge-sized node; only their order matters.</summary>
    private static readonly Resources Reference = new(16_000, 65_536, 110);

    private readonly (long Cpu, long Memory) _headroom = policy.Spare.Required(placement.Pods.TotalCpu, placement.Pods.TotalMemory);
    private int _launched;

    public RemovalOutcome Try(IReadOnlyList<Slot> removed, bool allowReplacement)
    {
        var pods = placement.Pods;
        var removedCost = removed.Sum(s => s.Price);
        var evicted = removed.SelectMany(s => s.Pods).ToList();
        var blocked = evicted.Select(p => pods.Workloads[pods.Workload[p]]).FirstOrDefault(w => w.AllowedEvictions <= 0);
        if (blocked is not null) return Fail(PackingReasons.PdbBlocks, $"the PodDisruptionBudget of {blocked.Key} allows no eviction now", removedCost);

        foreach (var slot in removed) placement.SetLive(slot, false);
        var moves = new List<(int Pod, Slot From, Slot To)>();
        var leftovers = new List<(int Pod, Slot From)>();
        var worst = Misfit.None;
        foreach (var pod in evicted.OrderByDescending(p => pods.Specs[p].Priority)
                     .ThenByDescending(p => FirstFitDecreasing.Size(pods.Cpu[p], pods.Memory[p], Reference)).ThenBy(p => p))
        {
            var from = placement.SlotOf[pod]!;
            placement.Unplace(pod);
            if (NodeEmptying.BestFit(placement, pod, Reference) is { } target)
            {
                placement.Place(pod, target);
                moves.Add((pod, from, target));
                continue;
            }

            leftovers.Add((pod, from));
            worst = (Misfit)Math.Max((int)worst, (int)FurthestMisfit(pod));
        }

        Slot? replacement = null;
        string? code = null, detail = null;
        if (leftovers.Count > 0)
        {
            replacement = allowReplacement ? Replace(removed, leftovers, moves) : null;
            if (replacement is null)
            {
                (code, detail) = (Codes.Of(worst), $"{leftovers.Count} pod(s), e.g. {pods.Specs[leftovers[0].Pod].Name}, fit no other node{(allowReplacement ? " nor any offer" : "")} ({worst})");
            }
            else if (replacement.Price >= removedCost)
            {
                // A constraint that kept pods off the other nodes is the reason to report; a dearer new node is only why it stays so.
                var dearer = $"the cheapest node that holds the rest, {replacement.Offer!.Type.Name} at ${replacement.Price:F4}/h, costs no less than ${removedCost:F4}/h";
                (code, detail) = worst is Misfit.AntiAffinity or Misfit.TopologySpread
                    ? (Codes.Of(worst), $"{pods.Specs[leftovers[0].Pod].Name} fits no other node ({worst}); {dearer}")
                    : (PackingReasons.NotCheaper, dearer);
            }
        }

        var saving = removedCost - (replacement?.Price ?? 0);
        var threshold = policy.Threshold;
        if (code is null && (saving < threshold.PerHour || saving * 100 < threshold.Percent * removedCost))
        {
            (code, detail) = (PackingReasons.BelowMinSaving, $"saves ${saving:F4}/h ({(removedCost > 0 ? saving * 100 / removedCost : 0):F1} %), threshold ${threshold.PerHour:F4}/h and {threshold.Percent:F1} %");
        }

        if (code is null && placement.Spare() is var spare && (spare.Cpu < _headroom.Cpu || spare.Memory < _headroom.Memory))
        {
            (code, detail) = (PackingReasons.Headroom, $"would leave {spare.Cpu}m CPU and {spare.Memory} MiB spare, headroom is {_headroom.Cpu}m and {_headroom.Memory} MiB");
        }

        var outcome = new RemovalOutcome(code, detail ?? "", moves, replacement, removedCost);
        if (code is null) return outcome;
        foreach (var (pod, from) in leftovers.Where(l => placement.SlotOf[l.Pod] is null)) placement.Place(pod, from);
        Rollback(removed, outcome);
        return outcome;
    }

    /// <summary>Undoes a removal: pods back where they were, the replacement gone, the nodes live again.</summary>
    public void Rollback(IReadOnlyList<Slot> removed, RemovalOutcome outcome)
    {
        for (var i = outcome.Moves.Count - 1; i >= 0; i--)
        {
            var (pod, from, _) = outcome.Moves[i];
            placement.Unplace(pod);
            placement.Place(pod, from);
        }

        if (outcome.Replacement is { } replacement && placement.Slots.Contains(replacement)) placement.Discard(replacement);
        foreach (var slot in removed) placement.SetLive(slot, true);
    }

    /// <summary>
    /// The cheapest offer whose one new node takes every leftover pod (the packing never turns On-Demand capacity into
    /// Spot: that is MOD-SPOT-01's call, with its risk checks). Leftovers that go on it are added to the moves.
    /// </summary>
    private Slot? Replace(IReadOnlyList<Slot> removed, List<(int Pod, Slot From)> leftovers, List<(int Pod, Slot From, Slot To)> moves)
    {
        var capacity = removed.Any(s => s.Labels.Capacity == PurchaseOption.OnDemand) ? PurchaseOption.OnDemand : PurchaseOption.Spot;
        foreach (var offer in offersByPrice)
        {
            if (offer.Capacity != capacity) continue;
            var slot = placement.Open($"replacement-{++_launched}", offer.Labels, policy.Usable(offer.Allocatable, daemonSets), offer.HourlyPrice, offer);
            var placed = 0;
            foreach (var (pod, _) in leftovers)
            {
                if (placement.Check(pod, slot) != Misfit.None) break;
                placement.Place(pod, slot);
                placed++;
            }

            if (placed == leftovers.Count)
            {
                moves.AddRange(leftovers.Select(l => (l.Pod, l.From, slot)));
                return slot;
            }

            foreach (var (pod, _) in leftovers.Take(placed)) placement.Unplace(pod);
            placement.Discard(slot);
        }

        return null;
    }

    private Misfit FurthestMisfit(int pod)
    {
        var furthest = Misfit.NodeAffinity;
        foreach (var slot in placement.Slots)
        {
            if (slot.Live && placement.Check(pod, slot) is var misfit && misfit > furthest) furthest = misfit;
        }

        return furthest;
    }

    private static RemovalOutcome Fail(string code, string detail, double removedCost) => new(code, detail, [], null, removedCost);
}
