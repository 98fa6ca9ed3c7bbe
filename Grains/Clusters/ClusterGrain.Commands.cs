using System.Text.Json;
using SpotOptimizer.Grains.Interfaces.Clusters;
using Orleans;

namespace SpotOptimizer.Grains.Clusters;

/// <summary>
/// The agent's command channel. Commands are persisted (<see cref="ClusterCommandsState"/>); every command issued and
/// every result, expiry or cancellation is one ledger entry (<c>agent.command_*</c>), and so one line of the activity
/// feed. A long poll waits on a completion source inside an interleaved call: the grain keeps serving while it waits.
/// </summary>
public sealed partial class ClusterGrain
{
    public const int FinishedCommandsKept = 200;

    /// <summary>Longest single wait inside the grain, well under Orleans's response timeout; the API waits in slices of it.</summary>
    public static readonly TimeSpan LongestPollWait = TimeSpan.FromSeconds(20);

    private DateTimeOffset? _commandsPolledAt;
    private TaskCompletionSource _commandsChanged = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ClusterCommandsState Commands => commands.State;

    public async Task<CommandIssue?> IssueCommand(string organizationId, string actor, AgentCommandRequest request)
    {
        if (!Owns(organizationId)) return null;
        if (request.IdempotencyKey is { } key && FindCommand(c => c.IdempotencyKey == key) is { } issued) return new CommandIssue(AsOfNow(issued), null);
        if (!state.State.Managed || state.State.Gone) return new CommandIssue(null, OptimizationRefusals.NotManaged);
        if (state.State.AgentTokenHash is null) return new CommandIssue(null, AgentCommandRefusals.TokenRevoked);
        await ExpireCommandsAsync(time.GetUtcNow());
        return new CommandIssue(await QueueCommandAsync(actor, request), null);
    }

    public async Task<IReadOnlyList<AgentCommand>?> PollCommands(string tokenHash, TimeSpan wait)
    {
        if (!TokenMatches(tokenHash)) return null;
        var deadline = time.GetUtcNow() + (wait < LongestPollWait ? wait : LongestPollWait);
        while (true)
        {
            var now = time.GetUtcNow();
            _commandsPolledAt = now;
            var pending = Commands.Pending.Where(c => c.Command.ExpiresAt > now).Select(c => c.Command).ToList();
            if (pending.Count > 0 || now >= deadline) return pending;
            try
            {
                await _commandsChanged.Task.WaitAsync(deadline - now, time);
            }
            catch (TimeoutException)
            {
                // Nothing was queued in time: the loop answers with the empty list.
            }

            // Revoked or replaced while waiting: the poll ends as unauthorized.
            if (!TokenMatches(tokenHash)) return null;
        }
    }

    public async Task<CommandResultAck?> ReportCommandResult(string tokenHash, string commandId, AgentCommandResult result)
    {
        if (!TokenMatches(tokenHash)) return null;
        var now = time.GetUtcNow();
        await ExpireCommandsAsync(now);
        var index = Commands.Pending.FindIndex(c => c.Command.Id == commandId);
        if (index < 0)
        {
            // Posting again is harmless: the first outcome stays and is answered.
            return Commands.Finished.FindLast(c => c.Command.Id == commandId) is { } finished
                ? new CommandResultAck(commandId, finished.Status, null)
                : new CommandResultAck(commandId, null, "unknown_command");
        }

        var record = Commands.Pending[index] with { Status = result.Status, Result = result, FinishedAt = now };
        await FinishCommandsAsync([record]);
        await RecordCommandAsync("agent", $"agent.command_{result.Status}", record, null);
        return new CommandResultAck(commandId, record.Status, null);
    }

    public Task<AgentCommandRecord?> GetCommand(string organizationId, string commandId) =>
        Task.FromResult(Owns(organizationId) && FindCommand(c => c.Command.Id == commandId) is { } found ? AsOfNow(found) : null);

    public Task<IReadOnlyList<AgentCommandRecord>?> ListCommands(string organizationId, int limit) =>
        Task.FromResult<IReadOnlyList<AgentCommandRecord>?>(Owns(organizationId)
            ? [.. Commands.Pending.Concat(Commands.Finished).OrderByDescending(c => c.Command.IssuedAt).ThenByDescending(c => c.Command.Id, StringComparer.Ordinal)
                .Take(limit).Select(AsOfNow)]
            : null);

    public Task<AgentChannelView?> GetAgentChannel(string organizationId) =>
        Task.FromResult(Owns(organizationId) ? new AgentChannelView(AgentRevoked, _commandsPolledAt) : null);

    /// <summary>A managed cluster whose token was revoked and not replaced: nothing may disrupt its nodes until it is connected again.</summary>
    private bool AgentRevoked => state.State.Managed && state.State.AgentTokenHash is null;

    private bool TokenMatches(string tokenHash) => state.State.AgentTokenHash is { } expected && AgentTokens.HashesEqual(expected, tokenHash);

    private async Task<AgentCommandRecord> QueueCommandAsync(string actor, AgentCommandRequest request)
    {
        var now = time.GetUtcNow();
        var nodeName = request.NodeName ?? Inventory?.Nodes.FirstOrDefault(n => n.InstanceId == request.InstanceId)?.Name;
        var command = new AgentCommand($"cmd_{Guid.NewGuid():N}", request.Kind, nodeName, request.InstanceId, request.DryRun, request.Labels,
            request.Taints, request.RemoveTaints, request.Karpenter, request.ExcludedNamespaces, now, now + (request.Lifetime ?? channel.Value.CommandLifetime));
        var record = new AgentCommandRecord(command, AgentCommandStatus.Pending, actor, request.IdempotencyKey, null, null);
        Commands.Pending.Add(record);
        try
        {
            await commands.WriteStateAsync();
        }
        catch
        {
            Commands.Pending.Remove(record);
            throw;
        }

        await RecordCommandAsync(actor, "agent.command_issued", record, null);
        WakePollers();
        return record;
    }

    /// <summary>Pending commands past their expiry become expired, each with its ledger entry.</summary>
    private async Task ExpireCommandsAsync(DateTimeOffset now)
    {
        var expired = Commands.Pending.Where(c => c.Command.ExpiresAt <= now)
            .Select(c => c with { Status = AgentCommandStatus.Expired, FinishedAt = now }).ToList();
        if (expired.Count == 0) return;
        await FinishCommandsAsync(expired);
        foreach (var record in expired) await RecordCommandAsync("system:agent-channel", "agent.command_expired", record, null);
    }

    /// <summary>The token was revoked or replaced: nothing pending may reach an agent any more.</summary>
    private async Task CancelCommandsAsync(string actor, string reason)
    {
        var now = time.GetUtcNow();
        var cancelled = Commands.Pending.Select(c => c with { Status = AgentCommandStatus.Cancelled, FinishedAt = now }).ToList();
        if (cancelled.Count > 0)
        {
            await FinishCommandsAsync(cancelled);
            foreach (var record in cancelled) await RecordCommandAsync(actor, "agent.command_cancelled", record, reason);
        }

        // Waiting polls wake, find their token gone and answer 401.
        WakePollers();
    }

    private async Task FinishCommandsAsync(IReadOnlyList<AgentCommandRecord> finished)
    {
        var (pending, done) = (Commands.Pending.ToList(), Commands.Finished.ToList());
        var ids = finished.Select(f => f.Command.Id).ToHashSet(StringComparer.Ordinal);
        Commands.Pending.RemoveAll(c => ids.Contains(c.Command.Id));
        Commands.Finished.AddRange(finished);
        if (Commands.Finished.Count > FinishedCommandsKept) Commands.Finished.RemoveRange(0, Commands.Finished.Count - FinishedCommandsKept);
        try
        {
            await commands.WriteStateAsync();
        }
        catch
        {
            // Memory says what the database says: the agent's retried result (or the next expiry sweep) tries again.
            (Commands.Pending, Commands.Finished) = (pending, done);
            throw;
        }
    }

    private AgentCommandRecord? FindCommand(Func<AgentCommandRecord, bool> match) =>
        Commands.Pending.FirstOrDefault(match) ?? Commands.Finished.LastOrDefault(match);

    /// <summary>A pending command past its expiry reads as expired even before a write path has moved it.</summary>
    private AgentCommandRecord AsOfNow(AgentCommandRecord record) =>
        record.Status == AgentCommandStatus.Pending && record.Command.ExpiresAt <= time.GetUtcNow() ? record with { Status = AgentCommandStatus.Expired } : record;

    private void WakePollers()
    {
        var waiting = _commandsChanged;
        _commandsChanged = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        waiting.TrySetResult();
    }

    private Task RecordCommandAsync(string actor, string action, AgentCommandRecord record, string? reason) =>
        activity.RecordAsync(Discovery!.OrganizationId, actor, action, Resource, JsonSerializer.Serialize(new
        {
            command_id = record.Command.Id, kind = record.Command.Kind, node = record.Command.NodeName, instance_id = record.Command.InstanceId,
            dry_run = record.Command.DryRun, status = record.Status, code = record.Result?.Code, detail = record.Result?.Detail,
            evicted_pods = record.Result?.EvictedPods, idempotency_key = record.IdempotencyKey, reason,
        }, PolicyJson), CancellationToken.None);
}
