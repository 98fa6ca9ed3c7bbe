namespace SpotOptimizer.Agent.Commands;

/// <summary>A command the platform issued to this cluster (<c>GET /api/agent/commands</c>); snake_case on the wire.</summary>
public sealed record AgentCommand(
    string Id,
    string Kind,
    string? NodeName = null,
    string? InstanceId = null,
    bool DryRun = false,
    Dictionary<string, string?>? Labels = null,
    IReadOnlyList<CommandTaint>? Taints = null,
    IReadOnlyList<string>? RemoveTaints = null,
    KarpenterPolicy? Karpenter = null,
    IReadOnlyList<string>? ExcludedNamespaces = null,
    DateTimeOffset IssuedAt = default,
    DateTimeOffset ExpiresAt = default);

public sealed record CommandTaint(string Key, string? Value, string Effect);

public sealed record KarpenterPolicy(bool Enabled, IReadOnlyList<string> CapacityTypes, string? ConsolidationPolicy, bool FallbackOnDemand);

public sealed record CommandBatch(IReadOnlyList<AgentCommand> Commands);

/// <summary>What the agent posts back (<c>POST /api/agent/commands/{id}/result</c>).</summary>
public sealed record CommandResult(string Status, string? Code, string? Detail, int? EvictedPods, bool DryRun)
{
    public static CommandResult Succeeded(AgentCommand command, string? detail = null, int? evicted = null) => new("succeeded", null, detail, evicted, command.DryRun);

    public static CommandResult Failed(AgentCommand command, string code, string detail, int? evicted = null) => new("failed", code, detail, evicted, command.DryRun);

    public static CommandResult Skipped(AgentCommand command, string? code, string detail) => new("skipped", code, detail, null, command.DryRun);
}

/// <summary>The command kinds and the result codes of the wire contract.</summary>
public static class CommandKinds
{
    public const string Cordon = "cordon";
    public const string Uncordon = "uncordon";
    public const string Drain = "drain";
    public const string Label = "label";
    public const string Taint = "taint";
    public const string KarpenterPolicy = "karpenter_policy";
    public const string LeaveSafeMode = "leave_safe_mode";
}

public static class ResultCodes
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
    public const string UnknownKind = "unknown_kind";
}
