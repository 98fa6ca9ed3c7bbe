using Orleans;
using Orleans.Concurrency;

namespace SpotOptimizer.Grains.Interfaces.Clusters;

/// <summary>
/// The command channel to the in-cluster agent: the platform queues commands on the cluster, the agent pulls them
/// (<c>GET /api/agent/commands</c>) and posts each one's result. A command stays pending until its result arrives,
/// it expires, or the agent token is revoked or replaced (cancelled).
/// </summary>
public partial interface IClusterGrain
{
    /// <summary>
    /// Queues a command for the agent; the same idempotency key returns the command already issued (whatever its status).
    /// Null when the cluster is not the organization's.
    /// </summary>
    Task<CommandIssue?> IssueCommand(string organizationId, string actor, AgentCommandRequest request);

    /// <summary>
    /// The commands pending for the agent, waiting up to <paramref name="wait"/> for one to be queued. Interleaved: a
    /// waiting poll never holds the grain. Null when the token does not belong to this cluster (the caller answers 401).
    /// </summary>
    [AlwaysInterleave]
    Task<IReadOnlyList<AgentCommand>?> PollCommands(string tokenHash, TimeSpan wait);

    /// <summary>Records the agent's result once; null when the token does not belong to this cluster.</summary>
    Task<CommandResultAck?> ReportCommandResult(string tokenHash, string commandId, AgentCommandResult result);

    /// <summary>The agent entered or left safe mode; null when the token does not belong to this cluster.</summary>
    Task<bool?> ReportSafeMode(string tokenHash, AgentSafeModeReport report);

    /// <summary>One command and its result; null when unknown or not the organization's.</summary>
    [ReadOnly]
    Task<AgentCommandRecord?> GetCommand(string organizationId, string commandId);

    /// <summary>The cluster's commands, newest first (pending and the last finished ones); null when not the organization's.</summary>
    [ReadOnly]
    Task<IReadOnlyList<AgentCommandRecord>?> ListCommands(string organizationId, int limit);

    /// <summary>Whether the cluster's agent can be commanded: its token is valid and when it last polled for commands.</summary>
    [ReadOnly]
    Task<AgentChannelView?> GetAgentChannel(string organizationId);
}

public static class AgentCommandKinds
{
    public const string Cordon = "cordon";
    public const string Uncordon = "uncordon";
    public const string Drain = "drain";
    public const string Label = "label";
    public const string Taint = "taint";
    public const string KarpenterPolicy = "karpenter_policy";
    public const string LeaveSafeMode = "leave_safe_mode";

    public static readonly IReadOnlyList<string> All = [Cordon, Uncordon, Drain, Label, Taint, KarpenterPolicy, LeaveSafeMode];
}

public static class AgentCommandStatus
{
    public const string Pending = "pending";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
    public const string Skipped = "skipped";

    /// <summary>No result arrived before the command's expiry.</summary>
    public const string Expired = "expired";

    /// <summary>The agent token was revoked or replaced while the command was pending.</summary>
    public const string Cancelled = "cancelled";

    /// <summary>What the agent may report.</summary>
    public static readonly IReadOnlyList<string> Reported = [Succeeded, Failed, Skipped];
}

/// <summary>The agent's result codes (the wire contract).</summary>
public static class AgentResultCodes
{
    public const string PdbBlocked = "pdb_blocked";
    public const string DoNotDisrupt = "do_not_disrupt";
    public const string ExcludedNamespace = "excluded_namespace";
    public const string NodeNotFound = "node_not_found";
    public const string SafeMode = "safe_mode";
    public const string KarpenterNotInstalled = "karpenter_not_installed";
    public const string Forbidden = "forbidden";
    public const string Timeout = "timeout";
    public const string KubernetesError = "kubernetes_error";
}

[GenerateSerializer, Immutable]
public sealed record NodeTaint(string Key, string? Value, string Effect);

/// <param name="CapacityTypes">Karpenter's words: <c>spot</c>, <c>on-demand</c>.</param>
/// <param name="ConsolidationPolicy"><c>WhenEmptyOrUnderutilized</c> or <c>WhenEmpty</c>.</param>
[GenerateSerializer, Immutable]
public sealed record KarpenterCommand(bool Enabled, IReadOnlyList<string> CapacityTypes, string ConsolidationPolicy, bool FallbackOnDemand);

/// <summary>A command as the agent receives it.</summary>
[GenerateSerializer, Immutable]
public sealed record AgentCommand(
    string Id,
    string Kind,
    string? NodeName,
    string? InstanceId,
    bool DryRun,
    IReadOnlyDictionary<string, string?>? Labels,
    IReadOnlyList<NodeTaint>? Taints,
    IReadOnlyList<string>? RemoveTaints,
    KarpenterCommand? Karpenter,
    IReadOnlyList<string>? ExcludedNamespaces,
    DateTimeOffset IssuedAt,
    DateTimeOffset ExpiresAt);

/// <param name="IdempotencyKey">Issuing again with the same key returns the command already issued.</param>
/// <param name="Lifetime">How long the command stays pending without a result; null: the platform's default.</param>
[GenerateSerializer, Immutable]
public sealed record AgentCommandRequest(
    string Kind,
    string? IdempotencyKey = null,
    string? NodeName = null,
    string? InstanceId = null,
    bool DryRun = false,
    IReadOnlyDictionary<string, string?>? Labels = null,
    IReadOnlyList<NodeTaint>? Taints = null,
    IReadOnlyList<string>? RemoveTaints = null,
    KarpenterCommand? Karpenter = null,
    IReadOnlyList<string>? ExcludedNamespaces = null,
    TimeSpan? Lifetime = null);

/// <summary>What the agent reports for a command.</summary>
[GenerateSerializer, Immutable]
public sealed record AgentCommandResult(string Status, string? Code, string? Detail, int? EvictedPods, bool DryRun);

/// <param name="Status">One of <see cref="AgentCommandStatus"/>.</param>
/// <param name="Result">The agent's result, once reported.</param>
[GenerateSerializer, Immutable]
public sealed record AgentCommandRecord(
    AgentCommand Command,
    string Status,
    string Actor,
    string? IdempotencyKey,
    AgentCommandResult? Result,
    DateTimeOffset? FinishedAt);

/// <param name="Refusal">agent_token_revoked or cluster_not_managed when nothing was queued.</param>
[GenerateSerializer, Immutable]
public sealed record CommandIssue(AgentCommandRecord? Command, string? Refusal);

/// <param name="Error">unknown_command when the id was not issued to this cluster.</param>
[GenerateSerializer, Immutable]
public sealed record CommandResultAck(string CommandId, string? Status, string? Error);

/// <param name="State">entered or left.</param>
[GenerateSerializer, Immutable]
public sealed record AgentSafeModeReport(string State, DateTimeOffset EnteredAt, string Reason, int UnreachableSeconds, IReadOnlyList<string> Actions);

/// <summary>The agent is in safe mode (it stopped every disruptive command) since <paramref name="EnteredAt"/>.</summary>
[GenerateSerializer, Immutable]
public sealed record AgentSafeModeView(DateTimeOffset EnteredAt, string Reason);

/// <param name="Revoked">A managed cluster whose agent token was revoked and not replaced: nothing may disrupt its nodes.</param>
/// <param name="CommandsPolledAt">When the agent last asked for commands (memory only: null again after a restart until it polls).</param>
[GenerateSerializer, Immutable]
public sealed record AgentChannelView(bool Revoked, DateTimeOffset? CommandsPolledAt);

public static class AgentCommandRefusals
{
    public const string TokenRevoked = "agent_token_revoked";
    public const string TokenReplaced = "agent_token_replaced";
}

public static class AgentSafeModeStates
{
    public const string Entered = "entered";
    public const string Left = "left";
}
