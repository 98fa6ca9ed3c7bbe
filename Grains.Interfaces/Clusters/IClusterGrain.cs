using Orleans;
using Orleans.Concurrency;

namespace SpotOptimizer.Grains.Interfaces.Clusters;

/// <summary>
/// One EKS cluster, keyed by <see cref="ClusterIds.For"/>. Owns what discovery saw, the agent's connection
/// (a hashed per-cluster token) and its liveness. Heartbeats touch memory only: no database write per heartbeat.
/// </summary>
public partial interface IClusterGrain : IGrainWithStringKey
{
    Task ApplyDiscovery(ClusterDiscovery discovery);

    /// <summary>Discovery no longer sees the cluster in the account.</summary>
    Task MarkGone(string accountId);

    Task<ClusterView?> Get(string organizationId);

    /// <summary>Makes the cluster managed and issues a new agent token (the previous one stops working).</summary>
    Task<AgentTokenIssued?> Connect(string organizationId, string actor);

    Task<bool> RevokeAgentToken(string organizationId, string actor);

    /// <summary>
    /// Stops managing the cluster: its loops (reminders), its running optimization job (stops before its next step),
    /// its agent token and its place in the organization's list. It stays discovered and can be connected again.
    /// Null when the cluster is not the organization's.
    /// </summary>
    Task<UnmanageResult?> Unmanage(string organizationId, string actor);

    /// <summary>
    /// Its AWS account was unlinked: unmanages it if managed, then forgets it entirely, so whoever links the account
    /// next discovers it afresh. Null when the cluster is not the organization's.
    /// </summary>
    Task<UnmanageResult?> Release(string organizationId, string actor);

    Task<PolicyView?> GetPolicy(string organizationId);

    Task<HibernationView?> GetHibernation(string organizationId);

    /// <summary>Changes the weekly schedule, time zone, pre-warm or wakes the cluster now for a while; starts the hibernation loop.</summary>
    Task<HibernationView?> ConfigureHibernation(string organizationId, string actor, HibernationPatch patch);

    /// <returns>Null when the cluster is not the organization's.</returns>
    Task<PolicyResult?> UpdatePolicy(string organizationId, string actor, PolicyPatch patch);

    /// <summary>Starts an optimization job, or returns the one in flight. Null when the cluster is not the organization's.</summary>
    Task<OptimizationRequestResult?> StartOptimization(string organizationId, string actor, string trigger);

    [ReadOnly]
    Task<OptimizationInputs?> GetOptimizationInputs(string organizationId);

    /// <summary>Ids of the cluster's most recent optimization jobs, newest first; null when not the organization's.</summary>
    [ReadOnly]
    Task<IReadOnlyList<string>?> GetRecentJobs(string organizationId);

    /// <summary>The job is alive and acting: its lease on the cluster runs another <c>Optimizer:JobTimeout</c>.</summary>
    Task RenewOptimization(string jobId);

    /// <summary>The job is over: remember what it placed (churn guard) and accept the next one.</summary>
    Task CompleteOptimization(OptimizationFinished finished);

    /// <returns>Null when the token does not belong to this cluster (the caller answers 401).</returns>
    Task<HeartbeatAck?> Heartbeat(AgentHeartbeat heartbeat);

    /// <summary>
    /// The agent's full report: nodes, pods, workloads and usage. Also counts as a heartbeat.
    /// Null when the token does not belong to this cluster (the caller answers 401).
    /// </summary>
    Task<InventoryAck?> ReportInventory(AgentInventoryReport report);

    /// <summary>The agent's latest inventory; null when the cluster is not the organization's.</summary>
    [ReadOnly]
    Task<InventoryView?> GetInventory(string organizationId);

    /// <summary>
    /// The cluster's nodes (for the weekly report's spend estimate): the agent's latest inventory once it has reported,
    /// what discovery last saw before that. Null when not the organization's.
    /// </summary>
    [ReadOnly]
    Task<IReadOnlyList<NodeSummary>?> GetNodes(string organizationId);

    /// <summary>
    /// The account's zone names → zone IDs in the cluster's region as discovery last read them, so that whoever prices
    /// or places the cluster's nodes in the market's zone names need not ask AWS again. Null when the role may not read
    /// them (names are then taken as the market's), when discovery has not read them yet, or when the cluster is not the
    /// organization's.
    /// </summary>
    [ReadOnly]
    Task<IReadOnlyDictionary<string, string>?> GetZoneIds(string organizationId);

    /// <summary>
    /// The agent saw a Spot interruption notice or rebalance recommendation on one of the cluster's nodes: the
    /// fastest way into the hive mind. A Spot node in the agent's latest inventory is known at once, before discovery
    /// sees it. Null when the token does not belong to this cluster.
    /// </summary>
    Task<AgentInterruptionResult?> ReportInterruption(AgentInterruption report);

    /// <summary>
    /// The region's pool index says a pool this cluster runs Spot nodes in was just flagged: start an optimize job now
    /// (trigger <c>pool_flagged</c>) instead of waiting for the schedule, under the same rules as a scheduled run (managed,
    /// awake, one job at a time, dry run and SAFE_MODE), once per flag. One-way: a slow cluster never holds up the index.
    /// </summary>
    [OneWay]
    Task MoveOutOfFlaggedPool(FlaggedPool flag);
}

/// <param name="ZoneIds">The account's zone names → zone IDs in the region (names are per account); null when the role may not read them.</param>
[GenerateSerializer, Immutable]
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
    IReadOnlyList<NodeSummary> Nodes,
    IReadOnlyDictionary<string, string>? ZoneIds = null);

[GenerateSerializer, Immutable]
public sealed record NodegroupSummary(string Name, string CapacityType, IReadOnlyList<string> InstanceTypes, int MinSize, int MaxSize, int DesiredSize);

[GenerateSerializer, Immutable]
public sealed record NodeSummary(string InstanceId, string InstanceType, string AvailabilityZone, string Lifecycle, string? Nodegroup);

[GenerateSerializer, Immutable]
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
    int PolicyVersion,
    AgentSafeModeView? AgentSafeMode = null,
    DateTimeOffset? CommandsPolledAt = null);

/// <param name="WasManaged">False when the cluster was not managed (nothing was stopped or recorded).</param>
/// <param name="CancelledJobId">The optimization job that was running and was told to stop, if any.</param>
/// <param name="LeftAsleep">The cluster was asleep on its schedule and could not be woken (the cloud refused, or SAFE_MODE / dry run forbade it): its node groups are still scaled down.</param>
[GenerateSerializer, Immutable]
public sealed record UnmanageResult(bool WasManaged, string? CancelledJobId, bool LeftAsleep = false);

[GenerateSerializer, Immutable]
public sealed record AgentTokenIssued(string ClusterId, string Token);

[GenerateSerializer, Immutable]
public sealed record AgentHeartbeat(string TokenHash, string AgentVersion, int NodeCount, int PodCount);

[GenerateSerializer, Immutable]
public sealed record AgentInterruption(string TokenHash, string InstanceId, string Kind, DateTimeOffset NoticeTime);

/// <param name="FlaggedUntil">Until when the pool is flagged for every tenant, or, when only for this tenant, until when its own board flags it.</param>
/// <param name="Error">
/// unknown_instance when the node is a Spot node of neither the agent's latest inventory nor the last discovery
/// (audited, nothing flagged); rate_limited when the tenant's report allowance in the region is used up
/// (<see cref="RetryAfter"/>; nothing flagged).
/// </param>
[GenerateSerializer, Immutable]
public sealed record AgentInterruptionResult(string? Pool, DateTimeOffset? FlaggedUntil, string? Error)
{
    /// <summary>With rate_limited: when the next report fits in the allowance.</summary>
    [Id(3)]
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>everyone when the evidence flagged the pool for every tenant; reporter when only for this tenant's own decisions.</summary>
    [Id(4)]
    public string? FlaggedFor { get; init; }

    /// <summary>Why the pool is flagged for everyone (<c>FlagReasons</c>), or own_report.</summary>
    [Id(5)]
    public string? FlagReason { get; init; }
}

public static class FlagScopes
{
    public const string Everyone = "everyone";
    public const string Reporter = "reporter";
}

[GenerateSerializer, Immutable]
public sealed record HeartbeatAck(string ClusterId, int PolicyVersion, DateTimeOffset ReceivedAt);

public static class AgentStatus
{
    /// <summary>A heartbeat arrived less than a minute ago.</summary>
    public const string Green = "green";

    public const string Red = "red";

    public static readonly TimeSpan FreshFor = TimeSpan.FromSeconds(60);
}

/// <summary>What an optimization job needs from its cluster, read in one call.</summary>
/// <param name="PlacedByUs">Instances the optimizer launched into this cluster, with when: the churn guard's memory.</param>
[GenerateSerializer, Immutable]
public sealed record OptimizationInputs(
    string ClusterId,
    string OrganizationId,
    string AccountId,
    string Region,
    string ClusterName,
    ClusterPolicy Policy,
    IReadOnlyList<NodegroupSummary> Nodegroups,
    IReadOnlyDictionary<string, DateTimeOffset> PlacedByUs);

/// <param name="AlreadyRunning">The cluster had a job in flight; this is that job.</param>
[GenerateSerializer, Immutable]
public sealed record OptimizationStarted(string JobId, bool AlreadyRunning);

/// <param name="Placed">Instances the job launched, with when.</param>
[GenerateSerializer, Immutable]
public sealed record OptimizationFinished(string JobId, IReadOnlyDictionary<string, DateTimeOffset> Placed);

public static class OptimizationRefusals
{
    public const string NotManaged = "cluster_not_managed";
    public const string Gone = "cluster_gone";

    /// <summary>The cluster is hibernating: nothing runs to optimize, and waking it is the schedule's business.</summary>
    public const string Asleep = "cluster_asleep";

    /// <summary>The agent token was revoked: nothing disrupts the cluster's nodes until it is connected again.</summary>
    public const string AgentRevoked = "agent_token_revoked";
}

/// <param name="Refusal">A stable code (<see cref="OptimizationRefusals"/>) when no job was started.</param>
[GenerateSerializer, Immutable]
public sealed record OptimizationRequestResult(OptimizationStarted? Started, string? Refusal);
