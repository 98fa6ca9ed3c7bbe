using Orleans;
using SpotOptimizer.Grains.Interfaces.Clusters;

namespace SpotOptimizer.Grains.Clusters;

/// <summary>
/// The agent's latest inventory, kept apart from <see cref="ClusterState"/>: it is large (up to thousands of nodes and
/// a hundred thousand pods) and changes on its own rhythm, so policy or hibernation writes never rewrite it, and it is
/// written only when its content changes, never per identical report.
/// </summary>
[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
public sealed class ClusterInventoryState
{
    /// <summary>Null until the agent's first report, and again once the cluster stops being managed.</summary>
    public AgentInventory? Inventory { get; set; }

    /// <summary>Goes up by one on every change of content (a cleared inventory included), never down.</summary>
    public int Version { get; set; }

    /// <summary>When the current content was first reported (later identical reports are not written).</summary>
    public DateTimeOffset? ReportedAt { get; set; }
}
