namespace SpotOptimizer.Optimization.Packing;

/// <summary>Why a pod cannot go on a node, in the order the checks run: a later one means the pod got further.</summary>
internal enum Misfit
{
    None = 0,
    NodeAffinity = 1,
    Resources = 2,
    AntiAffinity = 3,
    TopologySpread = 4,
}

/// <summary>A node in the simulation: existing (no offer) or new. <see cref="Capacity"/> is what pods may use under the ceiling.</summary>
internal sealed class Slot(string name, NodeLabels labels, int zone, Resources capacity, double price, NodeOffer? offer)
{
    private Dictionary<int, int>? _replicas;

    public string Name { get; } = name;

    public NodeLabels Labels { get; private set; } = labels;

    public int Zone { get; } = zone;

    public Resources Capacity { get; private set; } = capacity;

    public Resources Used { get; set; }

    public double Price { get; private set; } = price;

    public NodeOffer? Offer { get; private set; } = offer;

    public bool Live { get; set; } = true;

    public List<int> Pods { get; } = [];

    public Resources Free => Capacity - Used;

    public int ReplicasOf(int workload) => _replicas?.GetValueOrDefault(workload) ?? 0;

    public void CountReplica(int workload, int delta)
    {
        _replicas ??= [];
        _replicas[workload] = ReplicasOf(workload) + delta;
    }

    /// <summary>Right-sizing: same zone, another type.</summary>
    public void Become(NodeOffer offer, Resources capacity)
    {
        Offer = offer;
        Labels = offer.Labels;
        Capacity = capacity;
        Price = offer.HourlyPrice;
    }
}

/// <summary>
/// Pods on nodes, with Kubernetes' scheduling checks: required node affinity, requests within the ceiling,
/// hostname anti-affinity, zone topology spread. Spread domains are the zones holding a live node plus the zones new
/// nodes can be launched in, as Karpenter counts them (the scheduler alone would forget a zone whose last node went,
/// and consolidation would then pile a spread workload into the remaining zones); a pod pinned to a zone by its
/// affinity is not spread-checked (one domain).
/// </summary>
internal sealed class Placement
{
    private readonly List<string> _zones;
    private readonly int[] _liveSlotsPerZone;
    private readonly bool[] _launchable;
    private readonly int[][] _zoneCounts;

    /// <param name="zones">Every zone a node is or may be in.</param>
    /// <param name="launchableZones">Zones new nodes can be launched in: spread domains even without a node.</param>
    public Placement(PodTable pods, IEnumerable<string> zones, IEnumerable<string> launchableZones)
    {
        Pods = pods;
        var launchable = launchableZones.ToHashSet(StringComparer.Ordinal);
        _zones = [.. zones.Concat(launchable).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        _liveSlotsPerZone = new int[_zones.Count];
        _launchable = [.. _zones.Select(launchable.Contains)];
        _zoneCounts = [.. pods.Workloads.Select(w => w.MaxSkew > 0 ? new int[_zones.Count] : [])];
        SlotOf = [.. Enumerable.Repeat<Slot?>(null, pods.Count)];
    }

    public PodTable Pods { get; }

    public List<Slot> Slots { get; } = [];

    public Slot?[] SlotOf { get; }

    public IReadOnlyList<string> Zones => _zones;

    public int ZoneIndex(string zone) => _zones.BinarySearch(zone, StringComparer.Ordinal);

    public Slot Open(string name, NodeLabels labels, Resources capacity, double price, NodeOffer? offer)
    {
        var zone = ZoneIndex(labels.Zone);
        if (zone < 0) throw new ArgumentException($"zone {labels.Zone} was not declared to the placement");
        var slot = new Slot(name, labels, zone, capacity, price, offer);
        Slots.Add(slot);
        _liveSlotsPerZone[zone]++;
        return slot;
    }

    /// <summary>Takes back a node opened by mistake (still empty), as if it never was.</summary>
    public void Discard(Slot slot)
    {
        if (slot.Pods.Count > 0) throw new InvalidOperationException($"{slot.Name} still holds pods");
        Slots.Remove(slot);
        if (slot.Live) _liveSlotsPerZone[slot.Zone]--;
    }

    public void SetLive(Slot slot, bool live)
    {
        if (slot.Live == live) return;
        slot.Live = live;
        _liveSlotsPerZone[slot.Zone] += live ? 1 : -1;
    }

    public Misfit Check(int pod, Slot slot)
    {
        var requirements = Pods.Requirements[pod];
        if (requirements is not null && !requirements.Admits(slot.Labels)) return Misfit.NodeAffinity;
        var free = slot.Free;
        if (Pods.Cpu[pod] > free.CpuMillicores || Pods.Memory[pod] > free.MemoryMiB || free.Pods < 1) return Misfit.Resources;
        var w = Pods.Workload[pod];
        var info = Pods.Workloads[w];
        if (info.OneReplicaPerNode && slot.ReplicasOf(w) > 0) return Misfit.AntiAffinity;
        if (info.MaxSkew > 0 && requirements?.Zone is null && !SpreadAllows(w, slot.Zone, info.MaxSkew)) return Misfit.TopologySpread;
        return Misfit.None;
    }

    /// <summary>Kubernetes' rule: the zone's count after placing, minus the least count over the domains, within maxSkew.</summary>
    public bool SpreadAllows(int workload, int zone, int maxSkew)
    {
        var counts = _zoneCounts[workload];
        var min = int.MaxValue;
        for (var z = 0; z < counts.Length; z++)
        {
            if ((_launchable[z] || _liveSlotsPerZone[z] > 0) && counts[z] < min) min = counts[z];
        }

        return min == int.MaxValue || counts[zone] + 1 - min <= maxSkew;
    }

    public void Place(int pod, Slot slot)
    {
        var w = Pods.Workload[pod];
        slot.Used += new Resources(Pods.Cpu[pod], Pods.Memory[pod], 1);
        slot.Pods.Add(pod);
        if (Pods.Workloads[w].OneReplicaPerNode) slot.CountReplica(w, 1);
        if (Pods.Workloads[w].MaxSkew > 0) _zoneCounts[w][slot.Zone]++;
        SlotOf[pod] = slot;
    }

    public void Unplace(int pod)
    {
        var slot = SlotOf[pod] ?? throw new InvalidOperationException($"pod {Pods.Specs[pod].Name} is not placed");
        var w = Pods.Workload[pod];
        slot.Used -= new Resources(Pods.Cpu[pod], Pods.Memory[pod], 1);
        slot.Pods.Remove(pod);
        if (Pods.Workloads[w].OneReplicaPerNode) slot.CountReplica(w, -1);
        if (Pods.Workloads[w].MaxSkew > 0) _zoneCounts[w][slot.Zone]--;
        SlotOf[pod] = null;
    }

    /// <summary>Spare capacity under the ceiling on live nodes (a node above its ceiling adds none).</summary>
    public (long Cpu, long Memory) Spare()
    {
        long cpu = 0, memory = 0;
        foreach (var slot in Slots)
        {
            if (!slot.Live) continue;
            cpu += Math.Max(0, slot.Free.CpuMillicores);
            memory += Math.Max(0, slot.Free.MemoryMiB);
        }

        return (cpu, memory);
    }
}
