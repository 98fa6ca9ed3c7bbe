using SpotOptimizer.Grains.Interfaces.Clusters;

namespace SpotOptimizer.Grains.Clusters;

public sealed class ClusterState
{
    /// <summary>The discovery that last saw the cluster; null while the grain has never been discovered.</summary>
    public ClusterDiscovery? Discovery { get; set; }

    public bool Gone { get; set; }

    public bool Managed { get; set; }

    /// <summary>SHA-256 of the agent token's secret, hex; the token itself is shown once and never stored.</summary>
    public string? AgentTokenHash { get; set; }

    public int PolicyVersion { get; set; } = 1;

    public ClusterPolicy Policy { get; set; } = ClusterPolicy.Default;

    public DateTimeOffset? ConnectedAt { get; set; }
}
