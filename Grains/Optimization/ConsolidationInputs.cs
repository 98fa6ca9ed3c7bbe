using SpotOptimizer.Cloud;
using SpotOptimizer.Grains.Execution;
using SpotOptimizer.Grains.Interfaces.Clusters;
using SpotOptimizer.Optimization.Market;
using SpotOptimizer.Optimization.Packing;
using SpotOptimizer.Optimization.Selection;

namespace SpotOptimizer.Grains.Optimization;

/// <summary>What the consolidation stage reads, gathered by the job: nothing here calls a grain or the cloud.</summary>
/// <param name="Live">The cluster's running or pending EC2 instances now: inventory nodes without one are gone and left out.</param>
/// <param name="Template">The cluster's default template (new nodes must match it), <see cref="NodeTemplate.Any"/> without one.</param>
/// <param name="BeingReplaced">Nodes this job's Spot replacements remove: their pods are about to move, so they stay out of packing.</param>
/// <param name="Covered">On-Demand instances a Reserved Instance or Savings Plan pays for: they stay.</param>
/// <param name="Nodegroups">The cluster's managed node groups as discovery saw them: none is taken below its minimum size.</param>
/// <param name="ConsolidateAfter">A node younger than this (at <paramref name="Now"/>) is left to settle.</param>
public sealed record ConsolidationSources(
    AgentInventory Inventory,
    IReadOnlyList<Ec2Instance> Live,
    MarketSnapshot Market,
    IReadOnlySet<SpotPoolId> FlaggedPools,
    NodeTemplate Template,
    ClusterPolicy Policy,
    IReadOnlyDictionary<string, DateTimeOffset> PlacedByUs,
    IReadOnlySet<string> BeingReplaced,
    string ClusterName,
    double MinSavingsPercent,
    IReadOnlySet<string> Covered,
    IReadOnlyList<NodegroupSummary> Nodegroups,
    DateTimeOffset Now,
    TimeSpan ConsolidateAfter);

/// <summary>
/// The agent's inventory as MOD-PACK-01's <see cref="ConsolidationRequest"/>: nodes priced at what they cost now
/// (Spot market for Spot nodes, On-Demand list otherwise), pods with their requests, affinities and do-not-disrupt,
/// workloads' rules, offers from the market within the default template (hive-mind-flagged pools left out), the
/// policy's binpack aggressiveness. Nodes that must stay carry a pin with its code (<see cref="ConsolidationPins"/>): the
/// node's own do-not-disrupt, a Spot replacement in this job, a commitment paying for it, too young, pods of an
/// excluded namespace, a bare pod (a drain never forces one), no price, its node group at its minimum size.
/// </summary>
public sealed record ConsolidationInputs(ConsolidationRequest Request, IReadOnlyDictionary<string, InventoryNode> NodesByName, IReadOnlyList<string> Notes)
{
    public static ConsolidationInputs From(ConsolidationSources sources)
    {
        var inventory = sources.Inventory;
        var live = sources.Live.Where(i => i.ClusterName == sources.ClusterName && i.IsActive).ToDictionary(i => i.InstanceId, StringComparer.Ordinal);
        var types = sources.Market.OnDemand.Select(o => o.Type).Concat(sources.Market.Pools.Select(p => p.Type))
            .DistinctBy(t => t.Name).ToDictionary(t => t.Name, StringComparer.Ordinal);
        var onDemand = sources.Market.OnDemand.ToDictionary(o => o.Type.Name, o => o.PricePerHour, StringComparer.Ordinal);
        var spot = sources.Market.Pools.ToDictionary(p => p.Pool, p => p.SpotPrice);
        var excluded = sources.Policy.ExcludedNamespaces.Concat(ClusterPolicy.AlwaysExcluded).ToHashSet(StringComparer.Ordinal);
        var podsByNode = inventory.Pods.Where(p => p.Node is not null).ToLookup(p => p.Node!, StringComparer.Ordinal);

        var nodes = new List<ExistingNode>();
        var byName = new Dictionary<string, InventoryNode>(StringComparer.Ordinal);
        var groupOf = new Dictionary<string, string>(StringComparer.Ordinal);
        var gone = 0;
        foreach (var node in inventory.Nodes)
        {
            if (!live.TryGetValue(node.InstanceId, out var instance))
            {
                gone++;
                continue;
            }

            var capacity = instance.Lifecycle == InstanceLifecycle.Spot ? PurchaseOption.Spot : PurchaseOption.OnDemand;
            double? price = capacity == PurchaseOption.Spot && spot.TryGetValue(new SpotPoolId(node.AvailabilityZone, node.InstanceType), out var market)
                ? market
                : onDemand.TryGetValue(node.InstanceType, out var list) ? list : null;
            var pods = podsByNode[node.Name].ToList();
            var architecture = types.TryGetValue(node.InstanceType, out var type) ? type.Architecture : CpuArchitecture.Amd64;
            var labels = new NodeLabels(node.AvailabilityZone, capacity, InstanceTypeInfo.FamilyOf(node.InstanceType), architecture);
            var ours = sources.PlacedByUs.ContainsKey(node.InstanceId) || OptimizerNodes.IsOurs(instance, sources.ClusterName);
            nodes.Add(new ExistingNode(node.Name, node.InstanceType, labels, price ?? 0, Resources(node.Allocatable), [.. pods.Select(Pod)], ours,
                ConsolidationPins.ForNode(node, pods, sources, excluded, price is null)));
            byName[node.Name] = node;
            if ((instance.NodegroupName ?? node.Nodegroup) is { } group) groupOf[node.Name] = group;
        }

        nodes = ConsolidationPins.KeepNodegroupMinimum(nodes, groupOf, sources);

        var request = new ConsolidationRequest(nodes, [.. inventory.Workloads.Select(Rules)], Offers(sources), sources.Template,
            new PackingPolicy(Math.Clamp(sources.Policy.BinpackAggressiveness, PackingPolicy.MinAggressiveness, PackingPolicy.MaxAggressiveness), HeadroomOf(sources.Policy),
                new MinimumSaving(0, sources.MinSavingsPercent)),
            Resources(inventory.DaemonSetOverhead));
        List<string> notes = gone > 0 ? [$"{gone} node(s) of the inventory no longer run and were left out."] : [];
        return new ConsolidationInputs(request, byName, notes);
    }

    private static PodSpec Pod(InventoryPod pod)
    {
        PurchaseOption? capacity = pod.CapacityTypeAffinity switch
        {
            "spot" => PurchaseOption.Spot,
            "on_demand" => PurchaseOption.OnDemand,
            _ => null,
        };
        var requirements = pod.ZoneAffinity is null && capacity is null ? null : new NodeRequirements(pod.ZoneAffinity, capacity);
        return new PodSpec(pod.Name, pod.Namespace, pod.Workload, pod.CpuRequestMillicores, pod.MemoryRequestMiB, pod.Priority, requirements, pod.DoNotDisrupt);
    }

    private static WorkloadRules Rules(InventoryWorkload workload) =>
        new(workload.Namespace, workload.Name, workload.OneReplicaPerNode, workload.ZoneMaxSkew,
            workload.PdbMinAvailable is null && workload.PdbMaxUnavailable is null ? null : new DisruptionBudget(workload.PdbMinAvailable, workload.PdbMaxUnavailable));

    /// <summary>Every Spot pool not flagged by the hive mind and every On-Demand type in each zone the market prices; no GPU types (pods here ask for none).</summary>
    private static List<NodeOffer> Offers(ConsolidationSources sources)
    {
        var market = sources.Market;
        var zones = market.Pools.Select(p => p.Pool.AvailabilityZone).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var offers = market.Pools.Where(p => !sources.FlaggedPools.Contains(p.Pool) && p.Type.GpuCount == 0)
            .Select(p => new NodeOffer(p.Type, p.Pool.AvailabilityZone, PurchaseOption.Spot, p.SpotPrice)).ToList();
        offers.AddRange(from o in market.OnDemand where o.Type.GpuCount == 0 from zone in zones select new NodeOffer(o.Type, zone, PurchaseOption.OnDemand, o.PricePerHour));
        return offers;
    }

    /// <summary>The cluster's headroom policy as the packer keeps it: consolidation never eats into the spare capacity the customer asked for.</summary>
    private static Headroom HeadroomOf(ClusterPolicy policy) =>
        policy.Headroom is { } h ? new Headroom(h.CpuMillicores, h.MemoryMiB, h.ShareOfRequests) : Headroom.None;

    private static Resources Resources(InventoryResources r) => new(r.CpuMillicores, r.MemoryMiB, r.Pods);
}
