using System.Net;
using k8s.Autorest;
using Microsoft.Extensions.Logging;
using SpotOptimizer.Agent.SafeMode;

namespace SpotOptimizer.Agent.Commands;

/// <summary>
/// Runs each command once: a finished command's result is remembered (the last <see cref="Remembered"/> ids), so when
/// the platform hands the same id out again (its result post was lost, or crossed the next poll) the stored result is
/// posted again instead of draining twice. In safe mode the disruptive kinds are refused with <c>safe_mode</c>.
/// </summary>
public sealed partial class CommandRunner(
    NodeCommands nodes, NodeDrain drain, NodePoolPolicy nodePools, SafeModeController safeMode, CommandChannel channel, ILogger<CommandRunner> logger)
{
    public const int Remembered = 1000;

    private readonly Dictionary<string, CommandResult> _finished = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();

    public int Executions { get; private set; }

    /// <exception cref="HttpRequestException">The result could not be posted (kept; posted again when the id comes back).</exception>
    public async Task RunAsync(AgentCommand command, CancellationToken cancellationToken)
    {
        if (!_finished.TryGetValue(command.Id, out var result))
        {
            result = await ExecuteAsync(command, cancellationToken);
            Executions++;
            Remember(command.Id, result);
            LogFinished(logger, command.Id, command.Kind, command.NodeName, result.Status, result.Code, result.Detail);
        }

        // A left report goes before the leave command's result, so the platform never sees the result without the state.
        await safeMode.FlushAsync(cancellationToken);
        try
        {
            await channel.PostResultAsync(command.Id, result, cancellationToken);
        }
        catch (HttpRequestException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            LogUnknown(logger, command.Id, e);
        }
    }

    public async Task<CommandResult> ExecuteAsync(AgentCommand command, CancellationToken cancellationToken)
    {
        if (safeMode.Active && Disruptive(command))
            return CommandResult.Failed(command, ResultCodes.SafeMode, "the agent is in safe mode (the platform was unreachable); disruptive commands are refused until leave_safe_mode");
        if (NeedsNode(command.Kind) && string.IsNullOrEmpty(command.NodeName))
            return CommandResult.Failed(command, ResultCodes.NodeNotFound, "the command names no node");
        try
        {
            return command.Kind switch
            {
                CommandKinds.Cordon => await nodes.CordonAsync(command, unschedulable: true, cancellationToken),
                CommandKinds.Uncordon => await nodes.CordonAsync(command, unschedulable: false, cancellationToken),
                CommandKinds.Label => await nodes.LabelAsync(command, cancellationToken),
                CommandKinds.Taint => await nodes.TaintAsync(command, cancellationToken),
                CommandKinds.Drain => await drain.DrainAsync(command, cancellationToken),
                CommandKinds.KarpenterPolicy => await nodePools.ApplyAsync(command, cancellationToken),
                CommandKinds.LeaveSafeMode => await safeMode.LeaveAsync(command, cancellationToken),
                _ => CommandResult.Skipped(command, ResultCodes.UnknownKind, $"this agent does not know the command kind '{command.Kind}'"),
            };
        }
        catch (HttpOperationException e)
        {
            var status = e.Response.StatusCode;
            LogKubernetesError(logger, command.Id, (int)status, e);
            return status switch
            {
                HttpStatusCode.NotFound when NeedsNode(command.Kind) => CommandResult.Failed(command, ResultCodes.NodeNotFound, $"node {command.NodeName} not found"),
                HttpStatusCode.Forbidden => CommandResult.Failed(command, ResultCodes.Forbidden, $"the agent's RBAC role does not allow it: {e.Response.Content}"),
                _ => CommandResult.Failed(command, ResultCodes.KubernetesError, $"the Kubernetes API answered {(int)status}: {e.Response.Content}"),
            };
        }
    }

    /// <summary>What changes where pods run or what capacity is bought; a Karpenter policy is disruptive only when it allows Spot.</summary>
    public static bool Disruptive(AgentCommand command) => command.Kind switch
    {
        CommandKinds.Cordon or CommandKinds.Drain or CommandKinds.Taint => true,
        CommandKinds.KarpenterPolicy => command.Karpenter is { Enabled: true } policy && policy.CapacityTypes.Contains("spot"),
        _ => false,
    };

    private static bool NeedsNode(string kind) => kind is CommandKinds.Cordon or CommandKinds.Uncordon or CommandKinds.Drain or CommandKinds.Label or CommandKinds.Taint;

    private void Remember(string id, CommandResult result)
    {
        _finished[id] = result;
        _order.Enqueue(id);
        while (_order.Count > Remembered) _finished.Remove(_order.Dequeue());
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Command {Id} ({Kind}, node {Node}): {Status} {Code} {Detail}")]
    private static partial void LogFinished(ILogger logger, string id, string kind, string? node, string status, string? code, string? detail);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Command {Id}: the Kubernetes API answered {Status}.")]
    private static partial void LogKubernetesError(ILogger logger, string id, int status, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Command {Id} is unknown to the platform (expired or not this cluster's); its result is dropped.")]
    private static partial void LogUnknown(ILogger logger, string id, Exception exception);
}
