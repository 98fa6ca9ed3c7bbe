namespace SpotOptimizer.Optimization.Packing;

/// <summary>
/// Buys new nodes for a fresh packing: the bulk type in the zone with the fewest nodes that admits the pod (so zones
/// fill evenly and spread constraints stay satisfiable), else the cheapest offer of any type in such a zone that holds it.
/// </summary>
internal sealed class NodeShop
{
    private readonly List<NodeOffer> _bulk;
    private readonly List<NodeOffer> _byPrice;
    private readonly Dictionary<NodeOffer, Resources> _usable = new(ReferenceEqualityComparer.Instance);
    private readonly PackingPolicy _policy;
    private readonly Resources _daemonSets;
    private int _opened;

    public NodeShop(IReadOnlyList<NodeOffer> offers, string bulkType, PackingPolicy policy, Resources daemonSets)
    {
        _policy = policy;
        _daemonSets = daemonSets;
        _byPrice = [.. offers.OrderBy(o => o.HourlyPrice).ThenBy(o => o.Type.Name, StringComparer.Ordinal).ThenBy(o => o.Zone, StringComparer.Ordinal)];
        _bulk = [.. _byPrice.Where(o => o.Type.Name == bulkType)];
        Bulk = Usable(_bulk[0]);
    }

    /// <summary>What pods may use on one bulk node: the unit the packers normalise sizes by.</summary>
    public Resources Bulk { get; }

    public IReadOnlyList<NodeOffer> ByPrice => _byPrice;

    public Resources Usable(NodeOffer offer)
    {
        if (!_usable.TryGetValue(offer, out var usable)) _usable[offer] = usable = _policy.Usable(offer.Allocatable, _daemonSets);
        return usable;
    }

    /// <summary>Opens a node that takes <paramref name="pod"/> now, or returns null with the furthest check it failed.</summary>
    public (Slot? Slot, Misfit Misfit) OpenFor(Placement placement, int pod)
    {
        var worst = Misfit.NodeAffinity;
        foreach (var zone in ZonesByLoad(placement))
        {
            var offer = Cheapest(_bulk, placement, pod, zone) ?? Cheapest(_byPrice, placement, pod, zone);
            if (offer is null) continue;
            var slot = placement.Open($"packed-{++_opened}", offer.Labels, Usable(offer), offer.HourlyPrice, offer);
            var misfit = placement.Check(pod, slot);
            if (misfit == Misfit.None) return (slot, Misfit.None);
            placement.Discard(slot);
            if (misfit > worst) worst = misfit;
        }

        return (null, worst);
    }

    /// <summary>An empty bulk node in the least-used zone: spare capacity for the headroom.</summary>
    public Slot OpenSpare(Placement placement)
    {
        var zone = ZonesByLoad(placement).First(z => _bulk.Any(o => o.Zone == z));
        var offer = _bulk.First(o => o.Zone == zone);
        return placement.Open($"packed-{++_opened}", offer.Labels, Usable(offer), offer.HourlyPrice, offer);
    }

    private NodeOffer? Cheapest(List<NodeOffer> offers, Placement placement, int pod, string zone)
    {
        var requirements = placement.Pods.Requirements[pod];
        var request = new Resources(placement.Pods.Cpu[pod], placement.Pods.Memory[pod], 1);
        foreach (var offer in offers)
        {
            if (offer.Zone == zone && (requirements is null || requirements.Admits(offer.Labels)) && Usable(offer).Holds(request)) return offer;
        }

        return null;
    }

    private static IEnumerable<string> ZonesByLoad(Placement placement)
    {
        var live = new int[placement.Zones.Count];
        foreach (var slot in placement.Slots)
        {
            if (slot.Live) live[slot.Zone]++;
        }

        return Enumerable.Range(0, live.Length).OrderBy(z => live[z]).ThenBy(z => z).Select(z => placement.Zones[z]).ToList();
    }
}
