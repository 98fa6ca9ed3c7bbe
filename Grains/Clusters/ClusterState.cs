using Orleans;
using SpotOptimizer.Grains.Interfaces.Clusters;

namespace SpotOptimizer.Grains.Clusters;

[GenerateSerializer(GenerateFieldIds = GenerateFieldIds.PublicProperties)]
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

    public List<int>? ScheduleMatrix { get; set; }

    public string TimeZone { get; set; } = "UTC";

    public bool Prewarm { get; set; }

    public DateTimeOffset? OverrideUntil { get; set; }

    public string Power { get; set; } = ClusterPower.Awake;

    /// <summary>Node group sizes before the cluster went to sleep, restored when it wakes.</summary>
    public List<NodegroupSize> SavedSizes { get; set; } = [];

    public List<PowerTransition> Transitions { get; set; } = [];

    /// <summary>The optimizer's own nodes (outside node groups) stopped when the cluster went to sleep, relaunched when it wakes.</summary>
    public List<SleepingNode> SleepingNodes { get; set; } = [];

    /// <summary>When discovery last applied; the optimize loop runs after each new discovery.</summary>
    public DateTimeOffset? DiscoveredAt { get; set; }

    public string? ActiveJobId { get; set; }

    public DateTimeOffset? ActiveJobSince { get; set; }

    public DateTimeOffset? LastOptimizationAt { get; set; }

    /// <summary>Instances the optimizer launched here and when: the churn guard's memory.</summary>
    public Dictionary<string, DateTimeOffset> PlacedByUs { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Pools ("zone/type", the account's zone names) a flag already moved the cluster out of, until the flag's end: one
    /// proactive job per flag, however often the flag is notified again.
    /// </summary>
    public Dictionary<string, DateTimeOffset> ProactiveMoves { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Pools flagged while a job was running, which may have read the flags before: each starts a follow-up job when the
    /// running one completes, if the flag still holds and the cluster still runs Spot nodes there.
    /// </summary>
    public List<FlaggedDuringJob> FlaggedDuringJob { get; set; } = [];

    /// <summary>The most recent jobs, newest last.</summary>
    public List<string> RecentJobs { get; set; } = [];
}

/// <param name="Nodegroup">
/// The node group it was launched from (its tag), else the one it would belong in, recorded when it slept: waking
/// launches from that group's template. Null in state saved before it was recorded, and then chosen on waking.
/// </param>
[GenerateSerializer, Immutable]
public sealed record SleepingNode(string InstanceType, string AvailabilityZone, string Lifecycle, string? Nodegroup = null);

/// <summary>A pool flagged while a job ran (<see cref="ClusterState.FlaggedDuringJob"/>).</summary>
[GenerateSerializer, Immutable]
public sealed record FlaggedDuringJob(string Zone, string InstanceType, Interfaces.Clusters.FlagCause Cause, DateTimeOffset Until);
