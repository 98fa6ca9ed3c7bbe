namespace SpotOptimizer.Optimization.Packing;

/// <summary>
/// MOD-PACK-01 for pods without nodes (the savings projection, the benchmark): which new nodes hold them at the least
/// cost. Candidates: for each of the few bulk types whose fractional lower bound costs least, the node-at-a-time fill
/// and first-fit-decreasing (the one with fewer nodes is kept); and, when the catalog's cheapest fractional mix is two
/// types, a split of the pods by memory per CPU between them. Each candidate is improved by emptying its least-loaded
/// nodes, right-sized (every node becomes the cheapest offer of its zone that holds its pods) and topped up with empty
/// bulk nodes until the headroom is kept; the cheapest wins. Pure and deterministic for a request, its seed included.
/// </summary>
public static class FreshPacker
{
    /// <summary>Bulk types tried: the cost-ranked head of the catalog (more costs time and rarely wins).</summary>
    private const int BulkCandidates = 2;

    public static FreshPacking Pack(FreshPackingRequest request)
    {
        var offers = request.Offers.Where(o => request.Template.Allows(o.Type)).ToList();
        var pods = new PodTable(request.Pods, request.Workloads);
        if (offers.Count == 0) return new FreshPacking([], [.. request.Pods.Select(p => new UnplacedPod(p, PackingReasons.NoFit))]);
        var zones = offers.Select(o => o.Zone).ToList();
        (Placement Placement, List<UnplacedPod> Unplaced, double Cost)? best = null;
        foreach (var (placement, unplaced, shop) in Candidates(request, offers, pods, zones))
        {
            NodeEmptying.Improve(placement, shop.Bulk, request.Seed);
            RightSize(placement, shop);
            KeepHeadroom(placement, shop, request.Policy.Spare);
            var cost = placement.Slots.Sum(s => s.Price);
            if (best is null || unplaced.Count < best.Value.Unplaced.Count || (unplaced.Count == best.Value.Unplaced.Count && cost < best.Value.Cost))
            {
                best = (placement, unplaced, cost);
            }
        }

        return Result(best!.Value.Placement, best.Value.Unplaced);
    }

    /// <summary>The baseline alone (for the benchmark and the tests): first-fit-decreasing on <paramref name="bulkType"/>, nothing else.</summary>
    public static FreshPacking FirstFitDecreasingBaseline(FreshPackingRequest request, string bulkType)
    {
        var offers = request.Offers.Where(o => request.Template.Allows(o.Type)).ToList();
        var pods = new PodTable(request.Pods, request.Workloads);
        var shop = new NodeShop(offers, bulkType, request.Policy, request.DaemonSetOverhead);
        var placement = new Placement(pods, offers.Select(o => o.Zone), offers.Select(o => o.Zone));
        return Result(placement, FirstFitDecreasing.Fill(placement, shop));
    }

    private static FreshPacking Result(Placement placement, List<UnplacedPod> unplaced) =>
        new([.. placement.Slots.Select((s, i) => new PackedNode($"new-{i + 1}", s.Offer!, [.. s.Pods.Order().Select(p => placement.Pods.Specs[p])], s.Used))], unplaced);

    private static IEnumerable<(Placement, List<UnplacedPod>, NodeShop)> Candidates(FreshPackingRequest request, List<NodeOffer> offers, PodTable pods, List<string> zones)
    {
        foreach (var bulkType in BulkTypes(offers, pods, request.Policy, request.DaemonSetOverhead))
        {
            var shop = new NodeShop(offers, bulkType, request.Policy, request.DaemonSetOverhead);
            var greedy = new Placement(pods, zones, zones);
            var greedyUnplaced = BinCentricFill.Fill(greedy, shop);
            var ffd = new Placement(pods, zones, zones);
            var ffdUnplaced = FirstFitDecreasing.Fill(ffd, shop);
            yield return (ffdUnplaced.Count, ffd.Slots.Count).CompareTo((greedyUnplaced.Count, greedy.Slots.Count)) < 0
                ? (ffd, ffdUnplaced, shop)
                : (greedy, greedyUnplaced, shop);
        }

        var mix = LowerBound.CheapestMix(pods.TotalCpu, pods.TotalMemory, offers, request.Policy, request.DaemonSetOverhead);
        if (mix.A is not null && mix.B is not null && mix.A.Type.Name != mix.B.Type.Name)
        {
            yield return Split(request, offers, pods, zones, (mix.A, mix.X), (mix.B, mix.Y));
        }
    }

    /// <summary>
    /// Column generation, lite: the relaxation says how many nodes of a CPU-rich and of a memory-rich type the pods
    /// need. The pods with the most memory per CPU go to the memory-rich type until its share of memory is taken, the
    /// rest to the CPU-rich one. (Keeping the memory-rich share at its type's own ratio, by also taking the leanest
    /// pods, cost 0.1-1.2 % more on the benchmark: it took the pods that let the CPU-rich nodes use their CPU.) One
    /// placement holds both, so anti-affinity and spread are checked across the whole fleet.
    /// </summary>
    private static (Placement, List<UnplacedPod>, NodeShop) Split(FreshPackingRequest request, List<NodeOffer> offers, PodTable pods, List<string> zones, (NodeOffer Offer, double Nodes) a, (NodeOffer Offer, double Nodes) b)
    {
        var (cpuRich, memoryRich) = Ratio(a.Offer) < Ratio(b.Offer) ? (a, b) : (b, a);
        var memoryShare = memoryRich.Nodes * request.Policy.Usable(memoryRich.Offer.Allocatable, request.DaemonSetOverhead).MemoryMiB;
        var toMemoryRich = new HashSet<int>();
        double memory = 0;
        foreach (var pod in Enumerable.Range(0, pods.Count).OrderByDescending(p => (double)pods.Memory[p] / Math.Max(1, pods.Cpu[p])).ThenBy(p => p))
        {
            if (memory + pods.Memory[pod] > memoryShare) break;
            memory += pods.Memory[pod];
            toMemoryRich.Add(pod);
        }

        var placement = new Placement(pods, zones, zones);
        var unplaced = BinCentricFill.Fill(placement, new NodeShop(offers, memoryRich.Offer.Type.Name, request.Policy, request.DaemonSetOverhead), toMemoryRich);
        var shop = new NodeShop(offers, cpuRich.Offer.Type.Name, request.Policy, request.DaemonSetOverhead);
        unplaced.AddRange(BinCentricFill.Fill(placement, shop, Enumerable.Range(0, pods.Count).Where(p => !toMemoryRich.Contains(p)).ToHashSet()));
        return (placement, unplaced, shop);

        double Ratio(NodeOffer offer) => (double)offer.Type.AllocatableMemoryMiB / offer.Type.AllocatableCpuMillicores;
    }

    /// <summary>Types whose fractional lower bound (requests over one node's usable capacity, the scarcer resource) costs least, at their mean zone price.</summary>
    private static IEnumerable<string> BulkTypes(List<NodeOffer> offers, PodTable pods, PackingPolicy policy, Resources daemonSets)
    {
        var largestCpu = pods.Count == 0 ? 0 : pods.Cpu.Max();
        var largestMemory = pods.Count == 0 ? 0 : pods.Memory.Max();
        return offers
            .GroupBy(o => o.Type.Name, StringComparer.Ordinal)
            .Select(g =>
            {
                var usable = policy.Usable(g.First().Allocatable, daemonSets);
                var price = g.GroupBy(o => o.Zone, StringComparer.Ordinal).Average(z => z.Min(o => o.HourlyPrice));
                var fits = usable.CpuMillicores >= largestCpu && usable.MemoryMiB >= largestMemory && usable.Pods >= 1;
                var nodes = fits ? LowerBound.FractionalNodes(pods.TotalCpu, pods.TotalMemory, pods.Count, usable) : double.PositiveInfinity;
                return (Type: g.Key, Cost: Math.Max(nodes, 1) * price, Fits: fits);
            })
            .OrderBy(t => t.Fits ? 0 : 1).ThenBy(t => t.Cost).ThenBy(t => t.Type, StringComparer.Ordinal)
            .Take(BulkCandidates)
            .Select(t => t.Type)
            .ToList();
    }

    /// <summary>Each node becomes the cheapest offer of its zone that admits its pods and holds their requests.</summary>
    private static void RightSize(Placement placement, NodeShop shop)
    {
        var pods = placement.Pods;
        foreach (var slot in placement.Slots)
        {
            foreach (var offer in shop.ByPrice)
            {
                if (offer.HourlyPrice >= slot.Price) break;
                if (offer.Zone != slot.Labels.Zone || !shop.Usable(offer).Holds(slot.Used)) continue;
                if (slot.Pods.Any(p => pods.Requirements[p] is { } r && !r.Admits(offer.Labels))) continue;
                slot.Become(offer, shop.Usable(offer));
                break;
            }
        }
    }

    private static void KeepHeadroom(Placement placement, NodeShop shop, Headroom headroom)
    {
        var (cpu, memory) = headroom.Required(placement.Pods.TotalCpu, placement.Pods.TotalMemory);
        if (cpu <= 0 && memory <= 0) return;
        while (placement.Spare() is var spare && (spare.Cpu < cpu || spare.Memory < memory))
        {
            // A bulk node too small for its DaemonSets under the ceiling adds no spare: stop rather than buy forever.
            var added = shop.OpenSpare(placement).Free;
            if ((spare.Cpu < cpu && added.CpuMillicores <= 0) || (spare.Memory < memory && added.MemoryMiB <= 0)) break;
        }
    }
}
