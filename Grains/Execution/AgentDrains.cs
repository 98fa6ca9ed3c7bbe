using Microsoft.Extensions.Options;
using Orleans;
using SpotOptimizer.Cloud;
using SpotOptimizer.Grains.Interfaces.Clusters;

namespace SpotOptimizer.Grains.Execution;

/// <summary>
/// The executor's drain through the in-cluster agent. A real cluster's agent (one that asked for commands within
/// <see cref="AgentChannelOptions.PollingWindow"/>) gets a <c>drain</c> command and the step waits for its result by
/// reading the command's status every <see cref="AgentChannelOptions.ResultPoll"/>: the cluster grain is only called
/// briefly, never held while the agent works. Without such an agent (a simulated cluster no agent runs for) the cloud drains.
/// A cluster whose agent token was revoked is never drained, by either path.
/// </summary>
public sealed class AgentDrains(IGrainFactory grains, IOptions<AgentChannelOptions> options, TimeProvider time)
{
    /// <returns>The agent's drain, or null when the cluster has no polling agent (the caller drains through the cloud).</returns>
    public async Task<DrainResult?> TryDrainAsync(ExecutionScope scope, string key, int attempt, string instanceId, bool dryRun,
        CancellationToken cancellationToken)
    {
        var cluster = grains.GetGrain<IClusterGrain>(scope.ClusterId);
        var channel = await cluster.GetAgentChannel(scope.OrganizationId);
        if (channel is { Revoked: true }) throw new CloudException(AgentDrainCodes.TokenRevoked, "The cluster's agent token is revoked.");
        if (channel?.CommandsPolledAt is not { } polled || time.GetUtcNow() - polled > options.Value.PollingWindow) return null;

        // A retry after a PodDisruptionBudget refusal is a new command; the first attempt keeps the step's own key, so
        // a job resumed after a restart finds the drain it already asked for.
        var request = new AgentCommandRequest(AgentCommandKinds.Drain, attempt == 1 ? key : $"{key}#{attempt}", InstanceId: instanceId, DryRun: dryRun,
            ExcludedNamespaces: scope.ExcludedNamespaces, Lifetime: options.Value.DrainTimeout);
        var issue = await cluster.IssueCommand(scope.OrganizationId, scope.Actor, request);
        if (issue?.Command is not { } command) throw new CloudException(AgentDrainCodes.TokenRevoked, $"The drain command was refused: {issue?.Refusal ?? "not the organization's cluster"}.");

        var deadline = command.Command.ExpiresAt;
        while (command.Status == AgentCommandStatus.Pending)
        {
            if (time.GetUtcNow() >= deadline) throw new CloudException(AgentDrainCodes.NoResult, $"No result for {command.Command.Id} before {deadline:O}.");
            await Task.Delay(options.Value.ResultPoll, time, cancellationToken);
            command = await cluster.GetCommand(scope.OrganizationId, command.Command.Id)
                ?? throw new CloudException(AgentDrainCodes.NoResult, $"{command.Command.Id} is no longer known.");
        }

        return command.Status == AgentCommandStatus.Succeeded
            ? new DrainResult(instanceId, command.Result?.EvictedPods ?? 0, dryRun)
            : throw new CloudException(AgentDrainCodes.For(command), $"{command.Command.Id} {command.Status}: {command.Result?.Code} {command.Result?.Detail}");
    }
}

/// <summary>The drain step's error codes when the agent drained (or could not); sentences in <see cref="CloudErrorMessages"/>.</summary>
public static class AgentDrainCodes
{
    public const string TokenRevoked = "agent_token_revoked";
    public const string Cancelled = "agent_command_cancelled";
    public const string NoResult = "agent_no_result";
    public const string DoNotDisrupt = "agent_do_not_disrupt";
    public const string NodeNotFound = "agent_node_not_found";
    public const string SafeMode = "agent_safe_mode";
    public const string Forbidden = "agent_forbidden";
    public const string Timeout = "agent_timeout";
    public const string Failed = "agent_drain_failed";

    /// <summary>A PodDisruptionBudget refusal maps to the cloud's own code, so the executor's retry applies alike.</summary>
    public static string For(AgentCommandRecord command) => command.Status switch
    {
        AgentCommandStatus.Expired => NoResult,
        AgentCommandStatus.Cancelled => Cancelled,
        _ => command.Result?.Code switch
        {
            AgentResultCodes.PdbBlocked => CloudErrorCodes.DisruptionBudget,
            AgentResultCodes.ExcludedNamespace => CloudErrorCodes.ExcludedNamespace,
            AgentResultCodes.DoNotDisrupt => DoNotDisrupt,
            AgentResultCodes.NodeNotFound => NodeNotFound,
            AgentResultCodes.SafeMode => SafeMode,
            AgentResultCodes.Forbidden => Forbidden,
            AgentResultCodes.Timeout => Timeout,
            _ => Failed,
        },
    };
}
