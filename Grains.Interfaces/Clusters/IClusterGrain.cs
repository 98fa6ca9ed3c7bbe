using SpotOptimizer.Runtime;

namespace SpotOptimizer.Grains.Interfaces.Clusters;

/// <summary>
/// One EKS cluster, keyed by <see cref="ClusterIds.For"/>. Owns what discovery saw, the agent's connection
/// (a hashed per-cluster token) and its liveness. Heartbeats touch memory only: no database write per heartbeat.
/// </summary>
public interface IClusterGrain : IGrainWithStringKey, IRemindable
{
    Task ApplyDiscovery(ClusterDiscovery discovery);

    /// <summary>Discovery no longer sees the cluster in the account.</summary>
    Task MarkGone(string accountId);

    Task<ClusterView?> Get(string organizationId);

    /// <summary>Makes the cluster managed and issues a new agent token (the previous one stops working).</summary>
    Task<AgentTokenIssued?> Connect(string organizationId, string actor);

    Task<bool> RevokeAgentToken(string organizationId, string actor);

    Task<PolicyView?> GetPolicy(string organizationId);

    Task<HibernationView?> GetHibernation(string organizationId);

    /// <summary>Changes the weekly schedule, time zone, pre-warm or wakes the cluster now for a while; starts the hibernation loop.</summary>
    Task<HibernationView?> ConfigureHibernation(string organizationId, string actor, HibernationPatch patch);

    /// <returns>Null when the cluster is not the organization's.</returns>
    Task<PolicyResult?> UpdatePolicy(string organizationId, string actor, PolicyPatch patch);

    /// <returns>Null when the token does not belong to this cluster (the caller answers 401).</returns>
    Task<HeartbeatAck?> Heartbeat(AgentHeartbeat heartbeat);
}

public sealed record ClusterDiscovery(
    string OrganizationId,
    string AccountId,
    string AwsAccountId,
    string Region,
    string Name,
    string Arn,
    string Version,
    string Status,
    string Endpoint,
    IReadOnlyList<NodegroupSummary> Nodegroups,
    IReadOnlyList<NodeSummary> Nodes);

public sealed record NodegroupSummary(string Name, string CapacityType, IReadOnlyList<string> InstanceTypes, int MinSize, int MaxSize, int DesiredSize);

public sealed record NodeSummary(string InstanceId, string InstanceType, string AvailabilityZone, string Lifecycle, string? Nodegroup);

public sealed record ClusterView(
    string ClusterId,
    string OrganizationId,
    string AccountId,
    string Name,
    string Region,
    string Version,
    string Status,
    bool Managed,
    int NodeCount,
    int SpotNodeCount,
    string AgentStatus,
    DateTimeOffset? LastSeen,
    string? AgentVersion,
    int PolicyVersion);

public sealed record AgentTokenIssued(string ClusterId, string Token);

public sealed record AgentHeartbeat(string TokenHash, string AgentVersion, int NodeCount, int PodCount);

public sealed record HeartbeatAck(string ClusterId, int PolicyVersion, DateTimeOffset ReceivedAt);

public static class AgentStatus
{
    /// <summary>A heartbeat arrived less than a minute ago.</summary>
    public const string Green = "green";

    public const string Red = "red";

    public static readonly TimeSpan FreshFor = TimeSpan.FromSeconds(60);
}
