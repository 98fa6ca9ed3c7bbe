using System.Globalization;
using SpotOptimizer.Grains.Interfaces.Clusters;
using SpotOptimizer.Optimization.Packing;

namespace SpotOptimizer.Grains.Optimization;

/// <summary>
/// Why a node of the inventory must stay whatever consolidation would save: first what the node itself says
/// (<see cref="ForNode"/>), then what its managed node group allows (<see cref="KeepNodegroupMinimum"/>).
/// </summary>
internal static class ConsolidationPins
{
    /// <summary>
    /// The instances the customer pinned in the agent's latest inventory: the node marked do-not-disrupt, or a pod on it.
    /// Read whatever the inventory's age: a stale pin keeps a node, which is the safe side.
    /// </summary>
    public static IReadOnlySet<string> DoNotDisrupt(AgentInventory? inventory)
    {
        if (inventory is null) return new HashSet<string>(StringComparer.Ordinal);
        var pinnedByPods = inventory.Pods.Where(p => p.DoNotDisrupt && p.Node is not null).Select(p => p.Node!).ToHashSet(StringComparer.Ordinal);
        return inventory.Nodes.Where(n => n.DoNotDisrupt || pinnedByPods.Contains(n.Name)).Select(n => n.InstanceId).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>The first reason that applies, in the order a customer would look for it; null when the node may go.</summary>
    public static NodePin? ForNode(InventoryNode node, List<InventoryPod> pods, ConsolidationSources sources, HashSet<string> excluded, bool unpriced)
    {
        if (node.DoNotDisrupt) return new(PackingReasons.DoNotDisrupt, $"node {node.Name} is annotated spotoptimizer.io/do-not-disrupt");
        if (sources.BeingReplaced.Contains(node.InstanceId)) return new(PackingReasons.SpotReplacement, $"this job replaces {node.InstanceId} with Spot capacity");
        if (sources.Covered.Contains(node.InstanceId))
        {
            // The commitment is paid whether the node runs or not: removing it saves nothing and leaves the commitment idle.
            return new(PackingReasons.CoveredByCommitment, $"a Reserved Instance or Savings Plan already pays for {node.InstanceId}");
        }

        // Karpenter's consolidateAfter: a new node is empty or half-full only until the scheduler has caught up.
        if (sources.Now - node.CreatedAt < sources.ConsolidateAfter)
        {
            return new(PackingReasons.TooYoung, string.Create(CultureInfo.InvariantCulture,
                $"created at {node.CreatedAt:O}, less than {sources.ConsolidateAfter.TotalMinutes:0.#} min ago: pods may still be scheduled onto it"));
        }

        if (pods.Select(p => p.Namespace).Where(excluded.Contains).Order(StringComparer.Ordinal).FirstOrDefault() is { } ns)
            return new(PackingReasons.ExcludedNamespace, $"runs pods of the excluded namespace {ns}");
        if (pods.FirstOrDefault(p => p.OwnerKind == "Pod") is { } bare)
            return new(PackingReasons.UnmanagedPod, $"runs {bare.Namespace}/{bare.Name}, a pod no controller would recreate after eviction");
        return unpriced ? new(PackingReasons.PriceUnknown, $"no price is known for {node.InstanceType} in {node.AvailabilityZone}") : null;
    }

    /// <summary>
    /// A managed node group never goes below its <c>MinSize</c>: with n live nodes (those this job's Spot replacements
    /// remove not counted) and minimum m, at most k = n − m of its nodes may be removed. When more than k are still
    /// removable, all but the k least loaded (largest share of CPU or memory requested) are pinned. The packer is
    /// not told about groups, so this is conservative: it may keep a node the plan would not have removed anyway.
    /// </summary>
    /// <param name="groupOf">Node name → its node group, for nodes that belong to one.</param>
    public static List<ExistingNode> KeepNodegroupMinimum(List<ExistingNode> nodes, IReadOnlyDictionary<string, string> groupOf, ConsolidationSources sources)
    {
        var pins = new Dictionary<string, NodePin>(StringComparer.Ordinal);
        foreach (var group in sources.Nodegroups)
        {
            var live = sources.Live.Count(i => i.ClusterName == sources.ClusterName && i.IsActive && i.NodegroupName == group.Name && !sources.BeingReplaced.Contains(i.InstanceId));
            var removable = Math.Max(0, live - group.MinSize);
            var candidates = nodes.Where(n => n.Pin is null && !n.Pods.Any(p => p.DoNotDisrupt) && groupOf.GetValueOrDefault(n.Name) == group.Name)
                .OrderBy(Load).ThenBy(n => n.Pods.Count).ThenBy(n => n.Name, StringComparer.Ordinal).ToList();
            var detail = removable == 0
                ? $"node group {group.Name} is at its minimum size ({live} of min {group.MinSize})"
                : $"node group {group.Name} has {live} node(s) and a minimum of {group.MinSize}: only its {removable} least loaded node(s) may go";
            foreach (var node in candidates.Skip(removable)) pins[node.Name] = new NodePin(PackingReasons.NodegroupMinSize, detail);
        }

        return [.. nodes.Select(n => pins.TryGetValue(n.Name, out var pin) ? n with { Pin = pin } : n)];
    }

    /// <summary>The larger of the node's requested CPU and memory shares: the node whose pods are easiest to move elsewhere goes first.</summary>
    private static double Load(ExistingNode node) => Math.Max(
        node.Allocatable.CpuMillicores == 0 ? 1 : node.Pods.Sum(p => (double)p.CpuMillicores) / node.Allocatable.CpuMillicores,
        node.Allocatable.MemoryMiB == 0 ? 1 : node.Pods.Sum(p => (double)p.MemoryMiB) / node.Allocatable.MemoryMiB);
}
