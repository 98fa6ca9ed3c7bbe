namespace SpotOptimizer.Grains.Execution;

/// <summary>A node of the cluster as the rule needs it: its managed node group (null outside one) and its zone.</summary>
public readonly record struct NodePlacement(string? Nodegroup, string Zone);

/// <summary>
/// Which managed node group a node the optimizer launches belongs in, so it is launched from that group's launch
/// template and subnets (on AWS nothing else joins the cluster). Pure: the caller gives what it knows.
/// </summary>
public static class LaunchNodegroup
{
    /// <summary>
    /// The group of the node(s) the new one stands in for (the first of <paramref name="standsInFor"/> that has one);
    /// else the cluster's group with the most nodes in <paramref name="zone"/> (its subnets reach that zone); else the
    /// group with the most nodes, then any known group; ties by name. Null when the cluster has no node group.
    /// </summary>
    /// <param name="groups">The cluster's node groups (discovery's); groups of <paramref name="nodes"/> count too.</param>
    public static string? Choose(string zone, IEnumerable<string?> standsInFor, IEnumerable<NodePlacement> nodes, IEnumerable<string> groups)
    {
        if (standsInFor.FirstOrDefault(g => !string.IsNullOrEmpty(g)) is { } own) return own;
        var grouped = nodes.Where(n => !string.IsNullOrEmpty(n.Nodegroup)).ToList();
        return grouped.Select(n => n.Nodegroup!).Concat(groups).Distinct(StringComparer.Ordinal)
            .Select(g => (Name: g, InZone: grouped.Count(n => n.Nodegroup == g && n.Zone == zone), All: grouped.Count(n => n.Nodegroup == g)))
            .OrderByDescending(g => g.InZone)
            .ThenByDescending(g => g.All)
            .ThenBy(g => g.Name, StringComparer.Ordinal)
            .Select(g => g.Name)
            .FirstOrDefault();
    }
}

/// <summary>A cluster's node groups and where its nodes run, as discovery last saw them: what <see cref="LaunchNodegroup"/> chooses from.</summary>
public sealed record ClusterNodegroups(IReadOnlyList<NodePlacement> Nodes, IReadOnlyList<string> Groups)
{
    public static readonly ClusterNodegroups None = new([], []);

    public static ClusterNodegroups From(IEnumerable<Interfaces.Clusters.NodeSummary>? nodes, IEnumerable<Interfaces.Clusters.NodegroupSummary> groups) =>
        new([.. (nodes ?? []).Select(n => new NodePlacement(n.Nodegroup, n.AvailabilityZone))], [.. groups.Select(g => g.Name)]);

    /// <inheritdoc cref="LaunchNodegroup.Choose"/>
    public string? For(string zone, params IEnumerable<string?> standsInFor) => LaunchNodegroup.Choose(zone, standsInFor, Nodes, Groups);
}
